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
}

export function signageConfig(overrides: Partial<SignageConfig> = {}): SignageConfig {
  return { ...SIGNAGE_DEFAULTS, ...overrides, priority: { ...SIGNAGE_DEFAULTS.priority, ...overrides.priority }, rateLimit: { ...SIGNAGE_DEFAULTS.rateLimit, ...overrides.rateLimit } };
}
