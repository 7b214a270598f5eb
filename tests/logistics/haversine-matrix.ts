/** A straight-line travel matrix for tests: haversine metres × 1.3 detour, 10 m/s; NOT_ON_NETWORK outside a box. */
import { UrbanflowError } from '../../core/errors/index.js';

export function haversineMatrix(box: [number, number, number, number] = [-180, -90, 180, 90]) {
  return async (points: [number, number][], _mode: 'car' | 'truck') => {
    points.forEach((p, i) => {
      if (p[0] < box[0] || p[1] < box[1] || p[0] > box[2] || p[1] > box[3]) throw new UrbanflowError('NOT_ON_NETWORK', `points[${i}] is off the network`, { field: `points[${i}]` });
    });
    const n = points.length;
    const metres = new Float64Array(n * n);
    const seconds = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const [lo1, la1] = points[i];
        const [lo2, la2] = points[j];
        const r = Math.PI / 180;
        const h = Math.sin(((la2 - la1) * r) / 2) ** 2 + Math.cos(la1 * r) * Math.cos(la2 * r) * Math.sin(((lo2 - lo1) * r) / 2) ** 2;
        const m = 2 * 6371008.8 * Math.asin(Math.sqrt(h)) * 1.3;
        metres[i * n + j] = m;
        seconds[i * n + j] = m / 10;
      }
    }
    return { seconds, metres };
  };
}
