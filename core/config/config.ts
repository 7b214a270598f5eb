import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { UrbanflowError } from '../errors/index.js';

/**
 * All settings in one commented object. Sources, later wins: defaults, the optional JSON file
 * (URBANFLOW_CONFIG or --config), environment variables. Unknown keys are refused by name.
 */
export const configSchema = z
  .object({
    /** HTTP and socket.io port; 0 picks a free one */
    port: z.number().int().min(0).max(65535).default(8080),
    host: z.string().default('0.0.0.0'),
    /** unset: embedded mode (memory + journal on disk); set: state, bus and sockets over Redis */
    redisUrl: z.string().url().optional(),
    /** HMAC key for access tokens; a random one per run when unset (said in the log) */
    tokenSecret: z.string().min(16).optional(),
    /** graph snapshot (.graph) or OSM .pbf; unset: the embedded Rhein-Neckar network */
    graph: z.string().optional(),
    /** GTFS feed zip for public transport; unset: the embedded rnv feed when present */
    gtfs: z.string().optional(),
    /** where the embedded store keeps its journal and snapshots */
    dataDir: z.string().default('.data'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** how long SIGTERM waits for requests to finish, ms */
    shutdownGraceMs: z.number().int().min(0).default(10_000),
    /** per-service settings, passed to each service untouched */
    traffic: z.record(z.string(), z.unknown()).default({}),
    routing: z.record(z.string(), z.unknown()).default({}),
    logistics: z.record(z.string(), z.unknown()).default({}),
    signage: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

const ENV_KEYS: Record<string, { key: keyof Config; type: 'string' | 'number' }> = {
  PORT: { key: 'port', type: 'number' },
  HOST: { key: 'host', type: 'string' },
  REDIS_URL: { key: 'redisUrl', type: 'string' },
  URBANFLOW_TOKEN_SECRET: { key: 'tokenSecret', type: 'string' },
  URBANFLOW_GRAPH: { key: 'graph', type: 'string' },
  URBANFLOW_GTFS: { key: 'gtfs', type: 'string' },
  URBANFLOW_DATA_DIR: { key: 'dataDir', type: 'string' },
  LOG_LEVEL: { key: 'logLevel', type: 'string' },
};

export function loadConfig(opts: { env?: NodeJS.ProcessEnv; file?: string; overrides?: Partial<Config> } = {}): Config {
  const env = opts.env ?? process.env;
  const raw: Record<string, unknown> = {};
  const file = opts.file ?? env.URBANFLOW_CONFIG;
  if (file) {
    if (!existsSync(file)) throw new UrbanflowError('CONFIG', `config file ${file} does not exist`, { field: 'URBANFLOW_CONFIG' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UrbanflowError('CONFIG', `config file ${file} is not valid JSON: ${(e as Error).message}`, { field: 'URBANFLOW_CONFIG' });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UrbanflowError('CONFIG', `config file ${file} must hold a JSON object`, { field: 'URBANFLOW_CONFIG' });
    }
    Object.assign(raw, parsed);
  }
  for (const [name, { key, type }] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (type === 'number') {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new UrbanflowError('CONFIG', `${name} must be a number, got '${v}'`, { field: name });
      raw[key] = n;
    } else raw[key] = v;
  }
  Object.assign(raw, opts.overrides ?? {});
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    const what = issue.code === 'unrecognized_keys' ? `unknown config key ${key}` : `config key ${key}: ${issue.message}`;
    throw new UrbanflowError('CONFIG', what, { field: key });
  }
  return result.data;
}
