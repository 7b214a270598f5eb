import { linkTime, linkTimeDerivative } from './bpr.js';
import type { ResolvedClass } from './demand.js';
import type { AssignmentNetwork } from './network.js';
import type { OriginDemand } from './origins.js';
import { loadAllOrNothing, ShortestPathTree } from './shortest-path.js';

/** Flows per bush, kept between runs so a re-assignment can start where the last one stopped. */
export interface BushState {
  kind: 'algorithm-b';
  linkCount: number;
  /** one key per bush (class, origin, demand checksum): a warm start is used only when all match */
  keys: string[];
  flows: Float64Array[];
  inBush: Uint8Array[];
}

/**
 * Algorithm B (Dial 2006): one acyclic bush per (class, origin). Each main iteration updates
 * every bush (drop unused links, add links that shorten the longest used path, which keeps
 * the bush acyclic) and then equilibrates it by Newton flow shifts between the longest and
 * the shortest path segments that end at the same node. Everything lives in flat typed arrays;
 * bush flows are dense per bush (links x bushes doubles), which suits networks with tens to a
 * few hundred zones.
 */
export class AlgorithmB {
  /** total link flow in pce */
  readonly x: Float64Array;
  readonly t: Float64Array;
  readonly dt: Float64Array;
  readonly flows: Float64Array[];
  readonly inBush: Uint8Array[];
  /** each bush's topological order, kept between its update and the next */
  private readonly orders: Int32Array[] = [];
  /** each bush's links grouped by head node in topological order: linksOf[b][starts[b][k] .. starts[b][k+1]) enter order[k] */
  private readonly linksOf: Int32Array[] = [];
  private readonly starts: Int32Array[] = [];
  private bushLinks: Int32Array = new Int32Array(0);
  private bushStart: Int32Array = new Int32Array(0);
  private readonly tree: ShortestPathTree;
  private readonly order: Int32Array;
  private readonly pos: Int32Array;
  private nOrder = 0;
  private readonly indeg: Int32Array;
  private readonly minD: Float64Array;
  private readonly maxD: Float64Array;
  private readonly longD: Float64Array;
  private readonly minP: Int32Array;
  private readonly maxP: Int32Array;
  private readonly nodeLoad: Float64Array;
  unreachableTrips = 0;

  constructor(
    readonly net: AssignmentNetwork,
    readonly classes: readonly ResolvedClass[],
    readonly origins: readonly OriginDemand[],
    warm?: BushState,
  ) {
    const n = net.nodeCount;
    const m = net.linkCount;
    this.x = new Float64Array(m);
    this.t = new Float64Array(m);
    this.dt = new Float64Array(m);
    this.tree = new ShortestPathTree(net);
    this.order = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.indeg = new Int32Array(n);
    this.minD = new Float64Array(n);
    this.maxD = new Float64Array(n);
    this.longD = new Float64Array(n);
    this.minP = new Int32Array(n);
    this.maxP = new Int32Array(n);
    this.nodeLoad = new Float64Array(n);
    this.flows = [];
    this.inBush = [];
    const keys = this.keys();
    const usable = warm && warm.kind === 'algorithm-b' && warm.linkCount === m && warm.keys.length === keys.length && warm.keys.every((k, i) => k === keys[i]);
    for (let b = 0; b < origins.length; b++) {
      if (usable && !this.touchesClosed(warm.inBush[b])) {
        this.flows.push(warm.flows[b].slice());
        this.inBush.push(warm.inBush[b].slice());
      } else {
        this.flows.push(new Float64Array(0));
        this.inBush.push(new Uint8Array(0));
      }
    }
    this.syncFlows();
    // bushes without a warm start begin as shortest-path trees on the current costs
    for (let b = 0; b < origins.length; b++) if (this.flows[b].length === 0) this.initBush(b);
    this.unreachableTrips = 0;
    for (let b = 0; b < origins.length; b++) this.unreachableTrips += this.unreachableOf(b);
  }

  /** identifies each bush's demand (class, origin, every destination and its trips) for warm starts */
  private keys(): string[] {
    return this.origins.map((o) => {
      let h = 2166136261;
      for (let k = 0; k < o.destNodes.length; k++) {
        h = Math.imul(h ^ o.destNodes[k], 16777619) >>> 0;
        h = Math.imul(h ^ Math.round(o.destTrips[k] * 1e6), 16777619) >>> 0;
      }
      return `${o.classIndex}:${o.zone}:${o.total}:${o.destNodes.length}:${h}`;
    });
  }

  private touchesClosed(inB: Uint8Array): boolean {
    const { closed } = this.net;
    for (let a = 0; a < closed.length; a++) if (closed[a] && inB[a]) return true;
    return false;
  }

  state(): BushState {
    return { kind: 'algorithm-b', linkCount: this.net.linkCount, keys: this.keys(), flows: this.flows.map((f) => f.slice()), inBush: this.inBush.map((f) => f.slice()) };
  }

  private unreachableOf(b: number): number {
    const o = this.origins[b];
    const c = this.classes[o.classIndex];
    this.tree.run(o.node, this.t, c.fixed, c.allowed);
    let u = 0;
    for (let k = 0; k < o.destNodes.length; k++) if (this.tree.dist[o.destNodes[k]] === Infinity) u += o.destTrips[k];
    return u;
  }

  private initBush(b: number): void {
    const { net } = this;
    const o = this.origins[b];
    const c = this.classes[o.classIndex];
    const flow = new Float64Array(net.linkCount);
    const inB = new Uint8Array(net.linkCount);
    this.tree.run(o.node, this.t, c.fixed, c.allowed);
    for (let i = 1; i < this.tree.settled; i++) inB[this.tree.pred[this.tree.order[i]]] = 1;
    loadAllOrNothing(net, this.tree, o.destNodes, o.destTrips, this.nodeLoad, flow);
    this.flows[b] = flow;
    this.inBush[b] = inB;
    for (let a = 0; a < net.linkCount; a++) {
      if (flow[a] !== 0) {
        this.x[a] += c.pce * flow[a];
        this.t[a] = linkTime(net, a, this.x[a]);
        this.dt[a] = linkTimeDerivative(net, a, this.x[a]);
      }
    }
  }

  /** Recompute total flows from the bushes (removes drift of the incremental updates). */
  syncFlows(): void {
    const { net, x } = this;
    x.fill(0);
    for (let b = 0; b < this.origins.length; b++) {
      const f = this.flows[b];
      if (f.length === 0) continue;
      const pce = this.classes[this.origins[b].classIndex].pce;
      for (let a = 0; a < net.linkCount; a++) if (f[a] !== 0) x[a] += pce * f[a];
    }
    for (let a = 0; a < net.linkCount; a++) {
      this.t[a] = linkTime(net, a, x[a]);
      this.dt[a] = linkTimeDerivative(net, a, x[a]);
    }
  }

  /** One main iteration over all bushes. `tol` is the cost difference below which no flow is shifted. */
  iterate(tol: number, passes: number): void {
    for (let b = 0; b < this.origins.length; b++) {
      this.updateBush(b);
      this.equilibrate(b, tol, passes);
    }
    this.syncFlows();
  }

  /**
   * Equilibrate every bush again without changing the bush links (cheap, no shortest paths):
   * the bushes share links, so one bush's shifts unsettle the others. Returns the largest
   * cost difference seen.
   */
  sweep(tol: number, passes: number): number {
    let worst = 0;
    for (let b = 0; b < this.origins.length; b++) {
      this.loadOrder(b);
      worst = Math.max(worst, this.equilibrate(b, tol, passes));
    }
    return worst;
  }

  private topo(b: number): void {
    const { net, order, pos, indeg } = this;
    const inB = this.inBush[b];
    const { linkTo, outOffsets, outLinks } = net;
    const m = net.linkCount;
    indeg.fill(0);
    pos.fill(-1);
    for (let a = 0; a < m; a++) if (inB[a]) indeg[linkTo[a]]++;
    const origin = this.origins[b].node;
    order[0] = origin;
    pos[origin] = 0;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const v = order[head++];
      for (let k = outOffsets[v]; k < outOffsets[v + 1]; k++) {
        const a = outLinks[k];
        if (!inB[a]) continue;
        const w = linkTo[a];
        if (--indeg[w] === 0) {
          pos[w] = tail;
          order[tail++] = w;
        }
      }
    }
    this.nOrder = tail;
    this.orders[b] = order.slice(0, tail);
    // the bush's in-links per node in topological order: label passes then scan one flat list
    const { inOffsets, inLinks } = net;
    const start = new Int32Array(tail + 1);
    let count = 0;
    for (let k = 0; k < tail; k++) {
      const j = order[k];
      for (let r = inOffsets[j]; r < inOffsets[j + 1]; r++) if (inB[inLinks[r]]) count++;
      start[k + 1] = count;
    }
    const links = new Int32Array(count);
    let c = 0;
    for (let k = 0; k < tail; k++) {
      const j = order[k];
      for (let r = inOffsets[j]; r < inOffsets[j + 1]; r++) if (inB[inLinks[r]]) links[c++] = inLinks[r];
    }
    this.linksOf[b] = links;
    this.starts[b] = start;
    this.bushLinks = links;
    this.bushStart = start;
  }

  /** Restore bush b's stored topological order (the bush has not changed since). */
  private loadOrder(b: number): void {
    const stored = this.orders[b];
    if (stored === undefined) {
      this.topo(b);
      return;
    }
    const { order, pos } = this;
    pos.fill(-1);
    order.set(stored);
    for (let k = 0; k < stored.length; k++) pos[stored[k]] = k;
    this.nOrder = stored.length;
    this.bushLinks = this.linksOf[b];
    this.bushStart = this.starts[b];
  }

  /**
   * min (all bush links), max (links with flow) and, if asked, longest (all bush links) labels
   * in topological order, from the flat per-node in-link list built by topo().
   */
  private labels(b: number, withLongest: boolean): void {
    const { order, minD, maxD, longD, minP, maxP, t, bushLinks, bushStart } = this;
    const { linkFrom } = this.net;
    const flow = this.flows[b];
    const fixed = this.classes[this.origins[b].classIndex].fixed;
    const eps = this.flowEps(b);
    const origin = order[0];
    minD[origin] = 0;
    maxD[origin] = 0;
    longD[origin] = 0;
    minP[origin] = -1;
    maxP[origin] = -1;
    const n = this.nOrder;
    for (let k = 1; k < n; k++) {
      const j = order[k];
      let mn = Infinity;
      let mp = -1;
      let mx = -Infinity;
      let xp = -1;
      let lg = -Infinity;
      const end = bushStart[k + 1];
      for (let r = bushStart[k]; r < end; r++) {
        const a = bushLinks[r];
        const i = linkFrom[a];
        const c = t[a] + fixed[a];
        const v = minD[i] + c;
        if (v < mn) {
          mn = v;
          mp = a;
        }
        if (flow[a] > eps) {
          const w = maxD[i] + c;
          if (w > mx) {
            mx = w;
            xp = a;
          }
        }
        if (withLongest) {
          const l = longD[i] + c;
          if (l > lg) lg = l;
        }
      }
      minD[j] = mn;
      minP[j] = mp;
      // no flowing in-link (or only rounding residue): the max path follows the min path here
      if (xp < 0) {
        mx = mn;
        xp = mp;
      }
      maxD[j] = mx;
      maxP[j] = xp;
      longD[j] = lg;
    }
  }

  private updateBush(b: number): void {
    const { net, pos, longD, minD, minP, t } = this;
    const { linkFrom, linkTo, closed, noThrough, linkCount: m } = net;
    const inB = this.inBush[b];
    const flow = this.flows[b];
    const o = this.origins[b];
    const origin = o.node;
    const cls = this.classes[o.classIndex];
    const fixed = cls.fixed;
    const allowed = cls.allowed;
    this.loadOrder(b);
    this.labels(b, true);
    const eps = this.flowEps(b);
    const shrink = 1 - 1e-14;
    let changed = false;
    for (let a = 0; a < m; a++) {
      if (inB[a]) {
        // drop links without flow (or with rounding residue only), but keep each node's
        // shortest in-link so every node stays reachable
        if (flow[a] <= eps && minP[linkTo[a]] !== a) {
          inB[a] = 0;
          flow[a] = 0;
          changed = true;
        }
        continue;
      }
      // add shortcuts: every bush link has long(i) <= long(j) (also after the removals), so
      // adding only links with long(i) < long(j) keeps the bush acyclic
      if (closed[a] || (allowed !== null && !allowed[a])) continue;
      const i = linkFrom[a];
      if (pos[i] < 0 || (noThrough[i] && i !== origin)) continue;
      const j = linkTo[a];
      if (j === origin) continue;
      const c = t[a] + fixed[a];
      const li = longD[i];
      if (pos[j] < 0 || li + c < longD[j] * shrink || (li < longD[j] && minD[i] + c < minD[j] * shrink)) {
        inB[a] = 1;
        changed = true;
      }
    }
    if (changed) this.topo(b);
    // second chance for links that shorten the shortest path but fail the longest-path test: any link
    // that goes forward in the (new) topological order keeps the bush acyclic. Without this a bush can
    // wait many iterations for its longest paths to come down before the link can join.
    let more = false;
    for (let a = 0; a < m; a++) {
      if (inB[a] || closed[a] || (allowed !== null && !allowed[a])) continue;
      const i = linkFrom[a];
      const j = linkTo[a];
      if (pos[i] < 0 || pos[j] <= pos[i] || (noThrough[i] && i !== origin)) continue;
      if (minD[i] + t[a] + fixed[a] < minD[j] * shrink) {
        inB[a] = 1;
        more = true;
      }
    }
    if (more) this.topo(b);
  }

  /** Newton flow shifts at every node of bush b, repeated up to `passes` times while the largest excess exceeds tol. */
  private equilibrate(b: number, tol: number, passes: number): number {
    const { net, order, pos, minD, maxD, minP, maxP, t, dt, x } = this;
    const { linkFrom } = net;
    const flow = this.flows[b];
    const cls = this.classes[this.origins[b].classIndex];
    const fixed = cls.fixed;
    const pce = cls.pce;
    const eps = this.flowEps(b);
    let worst = 0;
    for (let pass = 0; pass < passes; pass++) {
      this.labels(b, false);
      worst = 0;
      for (let k = this.nOrder - 1; k > 0; k--) {
        const j = order[k];
        const xp = maxP[j];
        const mp = minP[j];
        if (xp === mp) continue;
        if (maxD[j] - minD[j] <= tol) continue;
        // walk both segments back to where they meet, with current costs
        let cMin = t[mp] + fixed[mp];
        let dMin = dt[mp];
        let p = linkFrom[mp];
        let cMax = t[xp] + fixed[xp];
        let dMax = dt[xp];
        let fMin = flow[xp];
        let q = linkFrom[xp];
        while (p !== q) {
          if (pos[p] > pos[q]) {
            const a = minP[p];
            cMin += t[a] + fixed[a];
            dMin += dt[a];
            p = linkFrom[a];
          } else {
            const a = maxP[q];
            cMax += t[a] + fixed[a];
            dMax += dt[a];
            if (flow[a] < fMin) fMin = flow[a];
            q = linkFrom[a];
          }
        }
        const diff = cMax - cMin;
        if (diff > worst) worst = diff;
        if (diff <= tol || fMin <= eps) continue;
        const denom = pce * (dMax + dMin);
        let delta = denom > 0 ? diff / denom : fMin;
        if (delta > fMin) delta = fMin;
        const meet = p;
        const dx = pce * delta;
        for (let v = j; v !== meet; ) {
          const a = minP[v];
          flow[a] += delta;
          x[a] += dx;
          t[a] = linkTime(net, a, x[a]);
          dt[a] = linkTimeDerivative(net, a, x[a]);
          v = linkFrom[a];
        }
        for (let v = j; v !== meet; ) {
          const a = maxP[v];
          const f = flow[a] - delta;
          flow[a] = f > 0 ? f : 0;
          const y = x[a] - dx;
          x[a] = y > 0 ? y : 0;
          t[a] = linkTime(net, a, x[a]);
          dt[a] = linkTimeDerivative(net, a, x[a]);
          v = linkFrom[a];
        }
      }
      if (worst <= tol) break;
    }
    return worst;
  }

  /** flows at or below this are rounding residue (1e-14 of the bush's demand) */
  private flowEps(b: number): number {
    return this.origins[b].total * 1e-14;
  }

  /** TSTT (generalized, all classes), SPTT from full shortest paths, and per-class link flows if asked. */
  measure(): { tstt: number; sptt: number } {
    const { net, t } = this;
    let tstt = 0;
    let sptt = 0;
    for (let b = 0; b < this.origins.length; b++) {
      const o = this.origins[b];
      const c = this.classes[o.classIndex];
      const f = this.flows[b];
      for (let a = 0; a < net.linkCount; a++) if (f[a] !== 0) tstt += f[a] * (t[a] + c.fixed[a]);
      this.tree.run(o.node, t, c.fixed, c.allowed);
      for (let k = 0; k < o.destNodes.length; k++) {
        const d = this.tree.dist[o.destNodes[k]];
        if (d !== Infinity) sptt += o.destTrips[k] * d;
      }
    }
    return { tstt, sptt };
  }

  classFlows(): Float64Array[] {
    const out = this.classes.map(() => new Float64Array(this.net.linkCount));
    for (let b = 0; b < this.origins.length; b++) {
      const f = this.flows[b];
      const target = out[this.origins[b].classIndex];
      for (let a = 0; a < f.length; a++) target[a] += f[a];
    }
    return out;
  }
}
