import type { ModeName } from '../../core/graph/modes.js';
import type { Snap } from '../../core/graph/snap/index.js';

export type { Snap };

/** What routing needs of a snapper (core/graph/snap's EdgeSnapper by default). */
export interface Snapper {
  nearest(lon: number, lat: number, mode: ModeName, maxDistance: number): Snap | null | undefined;
}
