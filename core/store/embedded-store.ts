import { promises as fs, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './store.js';
import { MemoryState, checkKey, cloneJson } from './memory-state.js';
import { Journal, ensureDir, removeOldJournals } from './journal.js';
import { UrbanflowError } from '../errors/index.js';

type Rec =
  | { op: 'put'; c: string; id: string; v: unknown }
  | { op: 'del'; c: string; id: string }
  | { op: 'app'; l: string; e: unknown };

export interface EmbeddedStoreOptions {
  dir: string;
  /** compact the journal into a snapshot once it grows past this many bytes */
  compactBytes?: number;
}

/**
 * The default store: state in memory, every write appended to a journal and fsynced before
 * the promise resolves; the journal is compacted into a snapshot (written to a temporary
 * file, fsynced, renamed) once it grows. Files: snapshot.json (with its journal generation)
 * and journal-<generation>.log.
 */
export async function createEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Store> {
  const dir = opts.dir;
  const compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
  ensureDir(dir);
  const snapFile = join(dir, 'snapshot.json');
  let generation = 0;
  let state = new MemoryState();
  if (existsSync(snapFile)) {
    try {
      const snap = JSON.parse(readFileSync(snapFile, 'utf8')) as { generation: number; state: Parameters<typeof MemoryState.fromJSON>[0] };
      generation = snap.generation;
      state = MemoryState.fromJSON(snap.state);
    } catch (e) {
      throw new UrbanflowError('INVALID_FILE', `${snapFile}: store snapshot unreadable (${(e as Error).message})`, { field: 'dataDir' });
    }
  }
  removeOldJournals(dir, generation);
  const journalFile = (g: number) => join(dir, `journal-${g}.log`);
  for (const r of Journal.replay(journalFile(generation)).records as Rec[]) apply(state, r);
  let journal = await Journal.open(journalFile(generation));
  let compacting: Promise<void> | undefined;
  let closed = false;
  // appends queued but not yet durable, per log: they already own their sequence numbers
  const pending = new Map<string, number>();
  const pendingAppends = (log: string) => pending.get(log) ?? 0;

  async function write(r: Rec): Promise<void> {
    if (closed) throw new UrbanflowError('UNAVAILABLE', 'store is closed', { retryable: true });
    if (compacting) await compacting;
    // apply after the journal line is durable, so a reader never sees an unacknowledged write
    await journal.append(r);
    apply(state, r);
    if (journal.size > compactBytes && !compacting) {
      compacting = compact().finally(() => (compacting = undefined));
    }
  }

  async function compact(): Promise<void> {
    await journal.settle();
    const next = generation + 1;
    const tmp = `${snapFile}.tmp`;
    const fh = await fs.open(tmp, 'w');
    await fh.writeFile(JSON.stringify({ generation: next, state: state.toJSON() }));
    await fh.sync();
    await fh.close();
    await fs.rename(tmp, snapFile);
    const dh = await fs.open(dir, 'r');
    await dh.sync().catch(() => undefined);
    await dh.close();
    const old = journal;
    journal = await Journal.open(journalFile(next));
    generation = next;
    await old.close();
    removeOldJournals(dir, generation);
  }

  return {
    kind: 'embedded',
    async put(c, id, v) {
      checkKey('collection', c);
      checkKey('id', id);
      await write({ op: 'put', c, id, v: cloneJson(v) });
    },
    async get(c, id) {
      return cloneJson(state.get(c, id)) as never;
    },
    async delete(c, id) {
      const existed = state.get(c, id) !== undefined;
      if (existed) await write({ op: 'del', c, id });
      return existed;
    },
    async list(c) {
      return cloneJson(state.list(c)) as never;
    },
    async append(l, e) {
      checkKey('log', l);
      const entry = cloneJson(e);
      if (compacting) await compacting;
      // the sequence number is fixed when the line is queued: journal order = log order
      const seq = (state.logs.get(l)?.length ?? 0) + pendingAppends(l) + 1;
      pending.set(l, (pending.get(l) ?? 0) + 1);
      try {
        await journal.append({ op: 'app', l, e: entry });
      } finally {
        pending.set(l, (pending.get(l) ?? 1) - 1);
      }
      state.append(l, entry);
      return seq;
    },
    async readLog(l, fromSeq, limit) {
      return cloneJson(state.readLog(l, fromSeq, limit)) as never;
    },
    async flush() {
      await journal.settle();
      if (compacting) await compacting;
      if (journal.size > 0) {
        compacting = compact().finally(() => (compacting = undefined));
        await compacting;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (compacting) await compacting;
      await journal.close();
    },
  };
}

function apply(state: MemoryState, r: Rec): void {
  if (r.op === 'put') state.put(r.c, r.id, r.v);
  else if (r.op === 'del') state.delete(r.c, r.id);
  else if (r.op === 'app') state.append(r.l, r.e);
}
