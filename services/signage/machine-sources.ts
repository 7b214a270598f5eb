import type { ServiceDeps } from '../../core/service-deps.js';
import type { BusEvents } from '../../core/contracts/bus-events.js';
import type { SignageConfig } from './config.js';
import type { Board } from './board.js';
import { upstreamEdges } from './upstream.js';
import { congestionMessage, incidentMessage, travelTimeMessage } from './compose.js';

/**
 * Messages nobody types: incident warnings and jam warnings for the signs upstream (from the
 * bus), and travel times (from the injected router). Each keeps one message per sign under its
 * own key and lets the board arbitrate.
 */
export function createMachineSources(
  board: Board,
  deps: Pick<ServiceDeps, 'network' | 'clock' | 'logger'> & { travelTime: (from: [number, number], to: [number, number]) => Promise<number | undefined> },
  cfg: SignageConfig,
) {
  const { network, clock, logger } = deps;
  const { signs, msgsOf, setMachine, serial } = board;
  const jammed = new Set<number>();
  const incidents = new Map<string, BusEvents['traffic:incident']['incident']>();

  async function applyIncident(ev: BusEvents['traffic:incident']): Promise<void> {
    const inc = ev.incident;
    const key = `incident:${inc.id}`;
    if (ev.action === 'cleared' || ev.action === 'expired') {
      incidents.delete(inc.id);
      for (const id of signs.keys()) await setMachine(id, key, 'incident', undefined, 0, undefined);
      return;
    }
    incidents.set(inc.id, inc);
    const edges = inc.edges.filter((e) => Number.isInteger(e) && e >= 0 && e < network.edgeCount);
    const reach = upstreamEdges(network, edges, cfg.incidentDistanceM);
    const road = edges.length ? network.edgeRef(edges[0]) || network.edgeName(edges[0]) : '';
    for (const sign of signs.values()) {
      const metres = reach.get(sign.edge);
      const multi = metres === undefined ? undefined : incidentMessage({ kind: inc.kind, severity: inc.severity, closed: inc.closed, road, metres }, sign.face);
      await setMachine(sign.id, key, 'incident', multi, cfg.priority.incident, inc.expiresAt);
    }
  }

  async function applyCongestion(): Promise<void> {
    const reach = jammed.size ? upstreamEdges(network, jammed, cfg.congestionDistanceM) : new Map<number, number>();
    for (const sign of signs.values()) {
      const metres = reach.get(sign.edge);
      const existing = [...msgsOf(sign.id).values()].find((m) => m.key === 'congestion');
      const multi = metres === undefined ? undefined : congestionMessage(metres, sign.face);
      // refresh the expiry only when half of it is used up, to keep store writes rare
      const keep = existing && multi === existing.multi && (existing.expiresAt ?? 0) - clock.now() > cfg.congestionTtlMs / 2;
      if (!keep) await setMachine(sign.id, 'congestion', 'congestion', multi, cfg.priority.congestion, multi ? clock.now() + cfg.congestionTtlMs : undefined);
    }
  }

  /** traffic:update: keep the set of jammed edges; recompute only when it changed */
  function onTrafficUpdate(ev: BusEvents['traffic:update']): void {
    let changed = false;
    for (const e of ev.edges) {
      if (e.level === 'jammed' && !jammed.has(e.edge)) {
        jammed.add(e.edge);
        changed = true;
      } else if (e.level !== 'jammed' && jammed.delete(e.edge)) changed = true;
    }
    if (changed) void serial(() => applyCongestion()).catch((err) => logger.error({ err }, 'signage congestion failed'));
  }

  /** a new sign gets the incidents and jams already known (inside serial) */
  async function catchUp(): Promise<void> {
    for (const inc of incidents.values()) await applyIncident({ action: 'updated', incident: inc });
    if (jammed.size) await applyCongestion();
  }

  async function refreshTravelTimes(): Promise<void> {
    for (const sign of [...signs.values()]) {
      const tt = sign.travelTimes;
      if (!tt) continue;
      const lines = [];
      // start where the sign's traffic goes next: the head of the edge it faces, on its carriageway
      const head = network.data.edgeTo[sign.edge];
      const from: [number, number] = head === undefined ? [sign.lon, sign.lat] : [network.data.nodeLon[head], network.data.nodeLat[head]];
      for (const d of tt.destinations) {
        let seconds: number | undefined;
        try {
          seconds = await deps.travelTime(from, [d.lon, d.lat]);
        } catch (e) {
          logger.warn({ err: e, sign: sign.id }, 'travel time failed');
        }
        lines.push({ name: d.name, minutes: seconds === undefined ? undefined : seconds / 60 });
      }
      const multi = travelTimeMessage(lines, tt.capMinutes, tt.overCap, sign.face);
      await serial(() => setMachine(sign.id, 'travel-time', 'travel-time', multi, cfg.priority.travelTime, multi ? clock.now() + cfg.travelTimeTtlMs : undefined));
    }
  }

  return { applyIncident, applyCongestion, onTrafficUpdate, catchUp, refreshTravelTimes };
}
