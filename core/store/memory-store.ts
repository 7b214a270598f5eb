import type { Store } from './store.js';
import { MemoryState, checkKey, cloneJson } from './memory-state.js';

/** A store with no durability at all: for unit tests and throwaway runs only. */
export function createMemoryStore(): Store {
  const state = new MemoryState();
  return {
    kind: 'memory',
    async put(c, id, v) {
      checkKey('collection', c);
      checkKey('id', id);
      state.put(c, id, cloneJson(v));
    },
    async get(c, id) {
      return cloneJson(state.get(c, id)) as never;
    },
    async delete(c, id) {
      return state.delete(c, id);
    },
    async list(c) {
      return cloneJson(state.list(c)) as never;
    },
    async append(log, entry) {
      checkKey('log', log);
      return state.append(log, cloneJson(entry));
    },
    async readLog(log, fromSeq, limit) {
      return cloneJson(state.readLog(log, fromSeq, limit)) as never;
    },
    async flush() {},
    async close() {},
  };
}
