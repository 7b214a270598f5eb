import type { SimDemand } from './types.js';

/**
 * Demand as a TNTP `_trips.tntp` file (`<NUMBER OF ZONES>`, `<TOTAL OD FLOW>`, `Origin o` blocks
 * of `d : flow;`), which core/tntp's parseTntpTrips reads back. Flows carry one decimal.
 */
export function formatTntpTrips(zoneCount: number, demand: readonly SimDemand[], comment?: string): string {
  const byOrigin = new Map<number, SimDemand[]>();
  let tenths = 0;
  for (const x of demand) {
    let list = byOrigin.get(x.origin);
    if (!list) byOrigin.set(x.origin, (list = []));
    list.push(x);
    tenths += Math.round(x.trips * 10);
  }
  const out: string[] = [];
  if (comment) for (const line of comment.split('\n')) out.push(`~ ${line}`);
  out.push(`<NUMBER OF ZONES> ${zoneCount}`, `<TOTAL OD FLOW> ${(tenths / 10).toFixed(1)}`, '<END OF METADATA>', '', '');
  for (const o of [...byOrigin.keys()].sort((a, b) => a - b)) {
    out.push(`Origin \t${o} `);
    const list = byOrigin.get(o)!.slice().sort((a, b) => a.destination - b.destination);
    for (let i = 0; i < list.length; i += 5) {
      out.push(list.slice(i, i + 5).map((x) => `${String(x.destination).padStart(5)} : ${x.trips.toFixed(1).padStart(8)};`).join(' '));
    }
    out.push('');
  }
  return out.join('\n') + '\n';
}
