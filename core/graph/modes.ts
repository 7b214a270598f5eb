/** Travel modes as bits, so one edge can carry several and a mask test is one AND. */
export const MODE = { car: 1, truck: 2, bike: 4, foot: 8 } as const;
export type ModeName = keyof typeof MODE;
export const MODE_NAMES: readonly ModeName[] = ['car', 'truck', 'bike', 'foot'];

export function modeBit(mode: ModeName): number {
  return MODE[mode];
}

export function modesToNames(mask: number): ModeName[] {
  return MODE_NAMES.filter((m) => (mask & MODE[m]) !== 0);
}

export function isModeName(value: string): value is ModeName {
  return (MODE_NAMES as readonly string[]).includes(value);
}
