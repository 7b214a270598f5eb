import { z } from 'zod';
import cron from 'node-cron';
import { UrbanflowError } from '../../core/errors/index.js';

/** Defaults of the signage service in one place; each can be overridden through deps.config. */
export const SIGNAGE_DEFAULTS = {
  /** priorities: higher wins; ties go to the newest message */
  priority: {
    travelTime: 10,
    schedule: 30,
    congestion: 40,
    operator: 50,
    incident: 60,
    /** most an operator may ask for; admins may use up to 100 */
    operatorMax: 90,
  },
  /** node-cron expression for travel-time refresh (every 60 s) */
  travelTimeCron: '0 * * * * *',
  /** how long a travel-time message lives if the refresh stops */
  travelTimeTtlMs: 5 * 60_000,
  /** arbitration tick (expiries, schedule windows), ms */
  tickMs: 5_000,
  /** incident warnings go to signs this far upstream along the network, metres */
  incidentDistanceM: 5_000,
  /** congestion warnings: signs this far upstream of a jammed edge, metres */
  congestionDistanceM: 3_000,
  congestionTtlMs: 10 * 60_000,
  /** message changes each user may make per window */
  rateLimit: { max: 10, windowMs: 60_000 },
  /** words refused in any operator or library message (case-insensitive, whole words) */
  bannedWords: ['DAMN', 'HELL', 'IDIOT', 'STUPID', 'CRAP'],
  /** snapping a sign to the edge it faces: within this many metres */
  snapMetres: 200,
  timeZone: 'Europe/Berlin',
  /** character/line matrix cell pitch (5x7 glyphs with a 1-pixel gap) */
  cellWidth: 6,
  cellHeight: 8,
  /**
   * react to the bus (incidents, jams) and run the travel-time schedule; with several processes
   * on one store and bus, leave this on in exactly one of them
   */
  machineMessages: true,
} as const;

export interface SignageConfig {
  priority: { travelTime: number; schedule: number; congestion: number; operator: number; incident: number; operatorMax: number };
  travelTimeCron: string;
  travelTimeTtlMs: number;
  tickMs: number;
  incidentDistanceM: number;
  congestionDistanceM: number;
  congestionTtlMs: number;
  rateLimit: { max: number; windowMs: number };
  bannedWords: readonly string[];
  snapMetres: number;
  timeZone: string;
  cellWidth: number;
  cellHeight: number;
  machineMessages: boolean;
}

const num = (lo: number, hi: number) => z.number().min(lo).max(hi);
const overridesSchema = z
  .object({
    priority: z.object({ travelTime: num(1, 100), schedule: num(1, 100), congestion: num(1, 100), operator: num(1, 100), incident: num(1, 100), operatorMax: num(1, 100) }).partial(),
    travelTimeCron: z.string().refine((e) => cron.validate(e), 'must be a valid node-cron expression'),
    travelTimeTtlMs: num(1000, 86_400_000),
    tickMs: num(100, 3_600_000),
    incidentDistanceM: num(0, 200_000),
    congestionDistanceM: num(0, 200_000),
    congestionTtlMs: num(1000, 86_400_000),
    rateLimit: z.object({ max: z.number().int().min(1), windowMs: num(1, 86_400_000) }).partial(),
    bannedWords: z.array(z.string().min(1).max(40)),
    snapMetres: num(1, 10_000),
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone'),
    cellWidth: z.number().int().min(1).max(64),
    cellHeight: z.number().int().min(7).max(64),
    machineMessages: z.boolean(),
  })
  .partial()
  .strict();

/** Defaults overridden by config.signage; a wrong key or value is a CONFIG error naming it. */
export function signageConfig(overrides: unknown = {}): SignageConfig {
  const r = overridesSchema.safeParse(overrides ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    const field = ['signage', ...i.path.map(String)].join('.');
    throw new UrbanflowError('CONFIG', `${field}: ${i.message}`, { field });
  }
  const o = r.data;
  return { ...SIGNAGE_DEFAULTS, ...o, priority: { ...SIGNAGE_DEFAULTS.priority, ...o.priority }, rateLimit: { ...SIGNAGE_DEFAULTS.rateLimit, ...o.rateLimit } };
}
