import { randomUUID } from 'node:crypto';
import {
  reportIncidentSchema,
  type Actor,
  type Incident,
  type ReportIncidentInput,
} from '../../../core/contracts/traffic.js';
import type { BusEvents } from '../../../core/contracts/bus-events.js';
import { UrbanflowError, notFound } from '../../../core/errors/index.js';
import type { EventBus } from '../../../core/bus/event-bus.js';
import type { RoadNetwork } from '../../../core/graph/index.js';
import type { Store } from '../../../core/store/store.js';
import type { Logger } from '../../../core/log/index.js';
import type { TrafficConfig } from '../config.js';
import type { CandidateFinder } from '../map-matching/candidates.js';
import { parseWith } from '../validate.js';

export const INCIDENT_COLLECTION = 'incidents';
export const AUDIT_LOG = 'audit';

/** The combined effect of the active incidents on one edge. */
export interface IncidentEffect {
  closed: boolean;
  /** travel-time floor factor over free flow */
  factor: number;
  ids: string[];
}

/**
 * Operator-reported incidents: snapped to edges, durable (stored before the call returns),
 * audited, published on the bus, reloaded on start, expired by the estimation tick. Each
 * incident either closes its edges (every lane blocked, or an explicit closure) or multiplies
 * their travel time: (1 + laneBlockFactor x blocked/lanes) x (1 + severityFactor x (severity - 1)).
 */
export class IncidentManager {
  private readonly incidents = new Map<string, Incident>();
  private effects = new Map<number, IncidentEffect>();
  /** edges whose effect changed since the last takeDirty() */
  private dirty = new Set<number>();

  constructor(
    private readonly network: RoadNetwork,
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly finder: CandidateFinder,
    private readonly cfg: TrafficConfig['incidents'],
    private readonly logger: Logger,
  ) {}

  /** Reload from the store: active incidents come back into force, overdue ones expire now. */
  async load(now: number): Promise<{ active: number; expired: number }> {
    const all = await this.store.list<Incident>(INCIDENT_COLLECTION);
    for (const inc of all) {
      if (!inc || typeof inc.id !== 'string' || !Array.isArray(inc.edges)) continue;
      inc.edges = inc.edges.filter((e) => Number.isInteger(e) && e >= 0 && e < this.network.edgeCount);
      this.incidents.set(inc.id, inc);
    }
    this.recompute();
    const expired = await this.expire(now);
    return { active: this.active().length, expired };
  }

  active(): Incident[] {
    return [...this.incidents.values()].filter((i) => i.status === 'active').sort((a, b) => a.reportedAt - b.reportedAt);
  }

  list(status: 'active' | 'all'): Incident[] {
    if (status === 'active') return this.active();
    return [...this.incidents.values()].sort((a, b) => a.reportedAt - b.reportedAt);
  }

  get(id: string): Incident | undefined {
    return this.incidents.get(id);
  }

  effect(edge: number): IncidentEffect | undefined {
    return this.effects.get(edge);
  }

  effectEdges(): IterableIterator<number> {
    return this.effects.keys();
  }

  takeDirty(): Set<number> {
    const d = this.dirty;
    this.dirty = new Set();
    return d;
  }

  async report(input: ReportIncidentInput, actor: Actor, now: number): Promise<Incident> {
    const r = parseWith(reportIncidentSchema, input);
    const edges = this.snap(r.lon, r.lat, r.radiusMetres, r.bothDirections);
    const lanes = this.network.data.edgeLanes;
    const minLanes = Math.min(...edges.map((e) => lanes[e] || 1));
    const inc: Incident = {
      id: `inc-${now.toString(36)}-${randomUUID().slice(0, 8)}`,
      kind: r.kind,
      lon: r.lon,
      lat: r.lat,
      severity: r.severity,
      lanesBlocked: r.lanesBlocked,
      closed: r.closeRoad || r.kind === 'closure' || r.lanesBlocked >= minLanes,
      edges,
      reportedAt: now,
      reportedBy: actor.who,
      expiresAt: now + r.expectedDurationMinutes * 60_000,
      status: 'active',
    };
    if (r.description !== undefined) inc.description = r.description;
    // durable first: the caller acknowledges only after this resolves
    await this.store.put(INCIDENT_COLLECTION, inc.id, inc);
    await this.store.append(AUDIT_LOG, { who: actor.who, action: 'incident.report', before: null, after: inc, at: now, ip: actor.ip ?? null });
    this.incidents.set(inc.id, inc);
    this.recompute();
    await this.publish('opened', inc);
    return inc;
  }

  async clear(id: string, actor: Actor, now: number): Promise<Incident> {
    const inc = this.incidents.get(id);
    if (!inc) throw notFound('incident', id);
    if (inc.status !== 'active') {
      throw new UrbanflowError('CONFLICT', `incident ${id} is already ${inc.status}`, { field: 'id' });
    }
    const after: Incident = { ...inc, status: 'cleared', endedAt: now, endedBy: actor.who };
    await this.store.put(INCIDENT_COLLECTION, id, after);
    await this.store.append(AUDIT_LOG, { who: actor.who, action: 'incident.clear', before: inc, after, at: now, ip: actor.ip ?? null });
    this.incidents.set(id, after);
    this.recompute();
    await this.publish('cleared', after);
    return after;
  }

  /**
   * Another process reported, cleared or expired an incident (seen on the bus): take the stored
   * version, which is durable before the event is published. Returns true when anything changed here.
   */
  async syncFromStore(id: string): Promise<boolean> {
    const stored = await this.store.get<Incident>(INCIDENT_COLLECTION, id);
    if (!stored || !Array.isArray(stored.edges)) return false;
    const mine = this.incidents.get(id);
    if (mine && mine.status === stored.status) return false;
    stored.edges = stored.edges.filter((e) => Number.isInteger(e) && e >= 0 && e < this.network.edgeCount);
    this.incidents.set(id, stored);
    this.recompute();
    return true;
  }

  /** End every active incident whose expected duration is over; returns how many. */
  async expire(now: number): Promise<number> {
    let n = 0;
    for (const inc of this.active()) {
      if (inc.expiresAt > now) continue;
      // several processes expire on their own ticks: the first one writes, the others adopt its record
      const stored = await this.store.get<Incident>(INCIDENT_COLLECTION, inc.id);
      if (stored && stored.status !== 'active') {
        this.incidents.set(inc.id, { ...stored, edges: inc.edges });
        n++;
        continue;
      }
      const after: Incident = { ...inc, status: 'expired', endedAt: now, endedBy: 'system' };
      await this.store.put(INCIDENT_COLLECTION, inc.id, after);
      await this.store.append(AUDIT_LOG, { who: 'system', action: 'incident.expire', before: inc, after, at: now, ip: null });
      this.incidents.set(inc.id, after);
      await this.publish('expired', after);
      n++;
    }
    if (n > 0) this.recompute();
    return n;
  }

  /** The nearest car edge within the radius, and the opposite direction of the same road. */
  private snap(lon: number, lat: number, radius: number, both: boolean): number[] {
    const cands = this.finder.within(lon, lat, radius, 8);
    if (cands.length === 0) {
      throw new UrbanflowError('NOT_ON_NETWORK', `no road within ${radius} m of ${lon},${lat}`, { field: 'lon' });
    }
    const first = cands[0].edge;
    const edges = [first];
    if (both) {
      const d = this.network.data;
      for (const c of cands) {
        if (d.edgeFrom[c.edge] === d.edgeTo[first] && d.edgeTo[c.edge] === d.edgeFrom[first]) {
          edges.push(c.edge);
          break;
        }
      }
    }
    return edges;
  }

  private recompute(): void {
    const next = new Map<number, IncidentEffect>();
    const lanes = this.network.data.edgeLanes;
    for (const inc of this.active()) {
      for (const e of inc.edges) {
        let eff = next.get(e);
        if (!eff) next.set(e, (eff = { closed: false, factor: 1, ids: [] }));
        eff.ids.push(inc.id);
        if (inc.closed) eff.closed = true;
        const l = lanes[e] || 1;
        const share = Math.min(inc.lanesBlocked, l) / l;
        eff.factor *= (1 + this.cfg.laneBlockFactor * share) * (1 + this.cfg.severityFactor * (inc.severity - 1));
      }
    }
    for (const e of this.effects.keys()) if (!next.has(e)) this.dirty.add(e);
    for (const [e, eff] of next) {
      const old = this.effects.get(e);
      if (!old || old.closed !== eff.closed || old.factor !== eff.factor || old.ids.join() !== eff.ids.join()) this.dirty.add(e);
    }
    this.effects = next;
  }

  private async publish(action: BusEvents['traffic:incident']['action'], inc: Incident): Promise<void> {
    const payload: BusEvents['traffic:incident'] = {
      action,
      incident: { id: inc.id, edges: inc.edges, lon: inc.lon, lat: inc.lat, kind: inc.kind, severity: inc.severity, closed: inc.closed, expiresAt: inc.expiresAt },
    };
    if (inc.description !== undefined) payload.incident.description = inc.description;
    try {
      await this.bus.publish('traffic:incident', payload);
    } catch (e) {
      // the incident is durable already; a bus outage must not fail the operator's call
      this.logger.warn({ err: e, id: inc.id }, 'traffic:incident publish failed');
    }
  }

  /** capacity factor (remaining share) per edge for re-assignment: 0 when closed */
  capacityFactor(edge: number): number {
    const eff = this.effects.get(edge);
    if (!eff) return 1;
    if (eff.closed) return 0;
    return 1 / eff.factor;
  }
}
