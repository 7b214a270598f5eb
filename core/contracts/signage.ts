/**
 * Socket events, HTTP payloads and bus payloads of the signage service: types and zod schemas,
 * defined once here and used by the service, the gateway and the clients.
 */
import { z } from 'zod';
import { latSchema, lonSchema } from './common.js';
import type { MultiError, SignFace } from '../multi/types.js';

const int = (lo: number, hi: number) =>
  z.number({ error: 'must be a number' }).int('must be an integer').min(lo, `must be between ${lo} and ${hi}`).max(hi, `must be between ${lo} and ${hi}`);
const idSchema = z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -');
const groupSchema = z.string({ error: 'must be a string' }).regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, _ or -');
/** ms since the epoch or an ISO date-time */
const timeSchema = z.union([z.number().finite().min(0), z.string().transform((s, ctx) => {
  const t = Date.parse(s);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: 'must be ms since the epoch or an ISO date-time' });
    return z.NEVER;
  }
  return t;
})], { error: 'must be ms since the epoch or an ISO date-time' });

export const SIGN_TYPES = ['full', 'line', 'character'] as const;
export const COLOUR_SCHEMES = ['monochrome1bit', 'classic', 'colour24bit'] as const;

export const destinationSchema = z.object({
  name: z.string().min(1, 'must not be empty').max(24, 'must be at most 24 characters'),
  lon: lonSchema,
  lat: latSchema,
});

export const travelTimeConfigSchema = z.object({
  destinations: z.array(destinationSchema).min(1, 'must list at least one destination').max(6, 'must list at most 6 destinations'),
  /** minutes above which the sign says OVER n MIN (over) or drops the line (silent) */
  capMinutes: int(1, 600).default(60),
  overCap: z.enum(['over', 'silent']).default('over'),
});
export type TravelTimeConfig = z.infer<typeof travelTimeConfigSchema>;

/** POST /api/signs. width x height are pixels, or characters x lines on a character matrix and lines on a line matrix. */
export const signCreateSchema = z.object({
  id: idSchema,
  name: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  lon: lonSchema,
  lat: latSchema,
  type: z.enum(SIGN_TYPES, { error: 'must be full, line or character' }),
  width: int(1, 1024),
  height: int(1, 256),
  groups: z.array(groupSchema).max(16, 'must have at most 16 groups').default([]),
  /** the directed edge the sign faces; snapped from lon/lat when omitted */
  edge: int(0, 2 ** 31).optional(),
  /** compass bearing of the traffic the sign faces, to pick the right carriageway when snapping */
  bearing: z.number().min(0).max(360).optional(),
  fonts: z.array(int(1, 255)).min(1).max(8).optional(),
  colourScheme: z.enum(COLOUR_SCHEMES).optional(),
  maxPages: int(1, 32).optional(),
  travelTimes: travelTimeConfigSchema.optional(),
});
export type SignCreateInput = z.input<typeof signCreateSchema>;
export type SignCreate = z.infer<typeof signCreateSchema>;

export const scheduleSchema = z.object({
  /** local wall-clock times HH:MM; a window may run past midnight (22:00 to 05:00) */
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  timeZone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin')
    .default('UTC'),
  /** 1 = Monday .. 7 = Sunday; every day when omitted */
  days: z.array(int(1, 7)).max(7).optional(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** PUT /api/signs/:id/message */
export const messageSetSchema = z
  .object({
    multi: z.string({ error: 'must be a string' }).max(2048, 'must be at most 2048 characters').optional(),
    libraryId: idSchema.optional(),
    priority: int(1, 100).optional(),
    expiresAt: timeSchema.optional(),
    schedule: scheduleSchema.optional(),
  })
  .refine((b) => (b.multi === undefined) !== (b.libraryId === undefined), { message: 'give either multi or libraryId', path: ['multi'] });
export type MessageSetInput = z.input<typeof messageSetSchema>;
export type MessageSet = z.infer<typeof messageSetSchema>;

export const approveSchema = z.object({ approvalId: z.string().max(80).optional() });

/** POST /api/library */
export const libraryCreateSchema = z.object({
  id: idSchema,
  name: z.string().min(1, 'must not be empty').max(80),
  multi: z.string().min(1, 'must not be empty').max(2048),
  groups: z.array(groupSchema).max(16).default([]),
});
export type LibraryCreateInput = z.input<typeof libraryCreateSchema>;

export const auditQuerySchema = z.object({
  from: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** GET /api/signs?status=offline|stale|dark|lit&group=... */
export const signListQuerySchema = z.object({
  status: z.enum(['offline', 'stale', 'dark', 'lit'], { error: 'must be offline, stale, dark or lit' }).optional(),
  group: groupSchema.optional(),
});
export type SignListQuery = z.infer<typeof signListQuerySchema>;

export const previewQuerySchema = z.object({
  multi: z.string().max(2048).optional(),
  page: z.coerce.number().int().min(1).max(32).default(1),
  scale: z.coerce.number().int().min(1).max(16).default(4),
});

export type MessageSource = 'operator' | 'library' | 'schedule' | 'travel-time' | 'incident' | 'congestion';

/** One candidate message for a sign; the arbiter shows the highest priority one that is live. */
export interface SignMessage {
  id: string;
  signId: string;
  source: MessageSource;
  /** e.g. incident:<id>, travel-time, congestion, operator */
  key: string;
  multi: string;
  priority: number;
  createdAt: number;
  createdBy?: string;
  expiresAt?: number;
  schedule?: Schedule;
}

export interface SignRecord {
  id: string;
  name: string;
  lon: number;
  lat: number;
  edge: number;
  groups: string[];
  type: (typeof SIGN_TYPES)[number];
  /** as given: pixels, or characters x lines */
  width: number;
  height: number;
  face: SignFace;
  travelTimes?: TravelTimeConfig;
  createdAt: number;
}

/** What the sign shows now (durable, versioned). */
export interface SignDisplayState {
  signId: string;
  version: number;
  /** '' = dark */
  multi: string;
  messageId?: string;
  source?: MessageSource;
  priority?: number;
  expiresAt?: number;
  changedAt: number;
}

export interface SignAckRecord {
  version: number;
  at: number;
}

export interface SignView extends SignRecord {
  state: SignDisplayState;
  lastAck?: SignAckRecord;
  online: boolean;
  /** the sign has not acknowledged the current version */
  stale: boolean;
  candidates: SignMessage[];
}

/** socket `sign:state`, server to sign */
export interface SignStatePayload {
  signId: string;
  version: number;
  multi: string;
  /** number of pages the message renders to (0 = dark) */
  pages: number;
  expiresAt?: number;
  face: SignFace;
  /** zone for the time fields */
  timeZone: string;
}

/** socket `sign:ack`, sign to server */
export const signAckSchema = z.object({ version: z.number().int().min(0) });
export type SignAckPayload = z.infer<typeof signAckSchema>;

export interface PendingApproval {
  id: string;
  signId: string;
  multi: string;
  priority: number;
  expiresAt?: number;
  schedule?: Schedule;
  requestedBy: string;
  requestedAt: number;
}

export interface LibraryEntry {
  id: string;
  name: string;
  multi: string;
  groups: string[];
  createdAt: number;
  createdBy?: string;
}

export interface AuditEntry {
  at: number;
  who: { role: string; sub?: string };
  from?: string;
  action: string;
  signId?: string;
  before?: unknown;
  after?: unknown;
}

/** A refused message: the MULTI errors with their positions. */
export interface MultiRefusal {
  errors: MultiError[];
}

export interface SignageSocketEvents {
  'sign:state': SignStatePayload;
  'sign:ack': SignAckPayload;
}
