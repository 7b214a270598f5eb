import { z } from 'zod';

/** Shapes shared by several services' contracts. */
export const lonSchema = z.number({ error: 'must be a number' }).min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
export const latSchema = z.number({ error: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
export const pointSchema = z.object({ lon: lonSchema, lat: latSchema });
export type Point = z.infer<typeof pointSchema>;

/** "minLon,minLat,maxLon,maxLat" in a query string, or an array of four numbers in a body */
export const bboxSchema = z
  .union([z.string(), z.array(z.coerce.number()).length(4)])
  .transform((v, ctx) => {
    const parts = typeof v === 'string' ? v.split(',').map((s) => Number(s.trim())) : v;
    if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
      ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat within -180..180 / -90..90 with min <= max' });
      return z.NEVER;
    }
    return parts as [number, number, number, number];
  });
export type Bbox = [number, number, number, number];
