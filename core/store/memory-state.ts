/** The in-memory image every store keeps or mirrors: collections of JSON values and ordered logs. */
export class MemoryState {
  readonly collections = new Map<string, Map<string, unknown>>();
  readonly logs = new Map<string, unknown[]>();

  put(collection: string, id: string, value: unknown): void {
    let c = this.collections.get(collection);
    if (!c) this.collections.set(collection, (c = new Map()));
    c.set(id, value);
  }

  get(collection: string, id: string): unknown {
    return this.collections.get(collection)?.get(id);
  }

  delete(collection: string, id: string): boolean {
    return this.collections.get(collection)?.delete(id) ?? false;
  }

  list(collection: string): unknown[] {
    return [...(this.collections.get(collection)?.values() ?? [])];
  }

  /** returns the new entry's sequence number (1-based) */
  append(log: string, entry: unknown): number {
    let l = this.logs.get(log);
    if (!l) this.logs.set(log, (l = []));
    l.push(entry);
    return l.length;
  }

  readLog(log: string, fromSeq = 1, limit = Infinity): { seq: number; entry: unknown }[] {
    const l = this.logs.get(log) ?? [];
    const out: { seq: number; entry: unknown }[] = [];
    for (let i = Math.max(0, fromSeq - 1); i < l.length && out.length < limit; i++) out.push({ seq: i + 1, entry: l[i] });
    return out;
  }

  toJSON() {
    return {
      collections: Object.fromEntries([...this.collections].map(([k, v]) => [k, Object.fromEntries(v)])),
      logs: Object.fromEntries(this.logs),
    };
  }

  static fromJSON(json: { collections?: Record<string, Record<string, unknown>>; logs?: Record<string, unknown[]> }): MemoryState {
    const s = new MemoryState();
    for (const [c, items] of Object.entries(json.collections ?? {})) s.collections.set(c, new Map(Object.entries(items)));
    for (const [l, entries] of Object.entries(json.logs ?? {})) s.logs.set(l, [...entries]);
    return s;
  }
}

/** Values go through JSON so callers cannot mutate what the store holds. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function checkKey(what: string, key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw new RangeError(`${what} must be a non-empty string of at most 512 characters`);
}
