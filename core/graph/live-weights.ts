/**
 * Live travel times per edge. Traffic is the only writer (it holds a LiveWeightsWriter);
 * every other service gets the ReadonlyLiveWeights view. `version` grows with every
 * committed batch so readers (e.g. a routing index) can tell when to re-customise, and
 * `changedSince` lets them re-read only what moved.
 */
export interface ReadonlyLiveWeights {
  /** seconds to traverse each edge now; Infinity when closed */
  readonly seconds: Readonly<Float64Array>;
  readonly version: number;
  isClosed(edge: number): boolean;
  /** edge ids changed after the given version (undefined: too old, re-read everything) */
  changedSince(version: number): Uint32Array | undefined;
  onChange(listener: (version: number, edges: Uint32Array) => void): () => void;
}

export interface LiveWeightsWriter extends ReadonlyLiveWeights {
  /** stage a new travel time (seconds, > 0, Infinity closes); visible after commit() */
  set(edge: number, seconds: number): void;
  /** publish staged changes as one version; returns the changed edge ids */
  commit(): Uint32Array;
  /** drop all live values back to free flow */
  reset(): void;
}

const HISTORY = 64;

export function createLiveWeights(freeFlowSeconds: Float64Array): LiveWeightsWriter {
  const seconds = Float64Array.from(freeFlowSeconds);
  const staged = new Map<number, number>();
  const history: { version: number; edges: Uint32Array }[] = [];
  const listeners = new Set<(version: number, edges: Uint32Array) => void>();
  let version = 0;

  function publish(edges: Uint32Array): Uint32Array {
    version += 1;
    history.push({ version, edges });
    if (history.length > HISTORY) history.shift();
    for (const l of listeners) l(version, edges);
    return edges;
  }

  return {
    seconds,
    get version() {
      return version;
    },
    isClosed(edge) {
      return seconds[edge] === Infinity;
    },
    changedSince(since) {
      if (since === version) return new Uint32Array(0);
      const first = history[0];
      if (!first || since < first.version - 1) return undefined;
      const set = new Set<number>();
      for (const h of history) if (h.version > since) for (const e of h.edges) set.add(e);
      return Uint32Array.from(set);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(edge, value) {
      if (!(value > 0)) throw new RangeError(`live travel time for edge ${edge} must be > 0, got ${value}`);
      if (edge < 0 || edge >= seconds.length) throw new RangeError(`edge ${edge} out of range`);
      staged.set(edge, value);
    },
    commit() {
      const changed: number[] = [];
      for (const [edge, value] of staged) {
        if (seconds[edge] !== value) {
          seconds[edge] = value;
          changed.push(edge);
        }
      }
      staged.clear();
      if (changed.length === 0) return new Uint32Array(0);
      return publish(Uint32Array.from(changed));
    },
    reset() {
      const changed: number[] = [];
      for (let e = 0; e < seconds.length; e++) {
        if (seconds[e] !== freeFlowSeconds[e]) {
          seconds[e] = freeFlowSeconds[e];
          changed.push(e);
        }
      }
      staged.clear();
      if (changed.length > 0) publish(Uint32Array.from(changed));
    },
  };
}
