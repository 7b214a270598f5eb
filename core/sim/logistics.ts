import type { RoadNetwork } from '../graph/road-network.js';
import { MODE } from '../graph/modes.js';
import type { Random } from './random.js';
import { STREET, type CityLayout } from './layout.js';
import type { SimCustomer, SimHub, SimOpening } from './types.js';

/** Logistics hubs next to motorway junctions, and customers spread like the population. */

const h = (hh: number, mm = 0) => hh * 3600 + mm * 60;
const hhmm = (s: number) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
const DAY_NAMES = ['', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

export function openingHoursString(opening: SimOpening[]): string {
  return opening
    .map((o) => {
      const days = o.days.length > 1 && o.days[o.days.length - 1] - o.days[0] === o.days.length - 1 ? `${DAY_NAMES[o.days[0]]}-${DAY_NAMES[o.days[o.days.length - 1]]}` : o.days.map((x) => DAY_NAMES[x]).join(',');
      return `${days} ${hhmm(o.open)}-${hhmm(o.close)}`;
    })
    .join('; ');
}

export function buildHubs(
  layout: CityLayout,
  network: RoadNetwork,
  carNode: Uint8Array,
  rampNodes: { node: number; ref: string; junction: number }[],
  rnd: Random,
): SimHub[] {
  const { n, colKind, rowKind } = layout;
  const d = network.data;
  const r = rnd.stream('hubs');
  const seen = new Set<number>();
  const candidates = rampNodes.filter((x) => carNode[x.node] && !seen.has(x.node) && seen.add(x.node));
  const want = Math.min(candidates.length, Math.max(2, Math.min(8, Math.round(n / 12))));
  // farthest-point sampling so the hubs cover the city
  const chosen: typeof candidates = [];
  if (candidates.length > 0) chosen.push(candidates[r.int(0, candidates.length - 1)]);
  const dist = (a: number, b: number) => Math.hypot(d.nodeLon[a] - d.nodeLon[b], d.nodeLat[a] - d.nodeLat[b]);
  while (chosen.length < want) {
    let best = candidates[0], bestD = -1;
    for (const c of candidates) {
      const m = Math.min(...chosen.map((x) => dist(x.node, c.node)));
      if (m > bestD) {
        bestD = m;
        best = c;
      }
    }
    chosen.push(best);
  }
  const used = new Set<string>();
  return chosen.map((ramp, i) => {
    // the hub sits one block off the ramp junction, on a quiet street where lorries can turn in
    // (at a ring-road junction, outside the grid, it sits on the junction itself)
    const c = ramp.node % n, rr = Math.floor(ramp.node / n);
    const onGrid = ramp.node < n * n;
    const neighbours = onGrid ? [[c + 1, rr], [c - 1, rr], [c, rr + 1], [c, rr - 1]].filter(([x, y]) => x >= 0 && y >= 0 && x < n && y < n) : [];
    const quiet = neighbours.find(([x, y]) => carNode[y * n + x] && colKind[x] !== STREET.primary && rowKind[y] !== STREET.primary);
    const node = quiet ? quiet[1] * n + quiet[0] : ramp.node;
    const lon = d.nodeLon[node], lat = d.nodeLat[node];
    let name = `Hub ${compass(lon - d.nodeLon[n * Math.floor(n / 2) + Math.floor(n / 2)], lat - d.nodeLat[n * Math.floor(n / 2) + Math.floor(n / 2)])} (${ramp.ref} junction ${ramp.junction})`;
    while (used.has(name)) name += "'";
    used.add(name);
    const allWeek = r.chance(0.3);
    const opening: SimOpening[] = allWeek
      ? [{ days: [1, 2, 3, 4, 5, 6, 7], open: 0, close: h(24) }]
      : [
          { days: [1, 2, 3, 4, 5], open: h(r.int(4, 6)), close: h(r.int(20, 22)) },
          { days: [6], open: h(6), close: h(14) },
        ];
    return {
      id: `H${i + 1}`,
      name,
      node,
      lon,
      lat,
      rampNode: ramp.node,
      docks: r.int(4, 16),
      opening,
      openingHours: allWeek ? '24/7' : openingHoursString(opening),
    };
  });
}

function compass(dx: number, dy: number): string {
  const ns = dy > 0.002 ? 'North' : dy < -0.002 ? 'South' : '';
  const ew = dx > 0.002 ? 'East' : dx < -0.002 ? 'West' : '';
  return ns && ew ? `${ns}-${ew}` : ns || ew || 'Central';
}

const WINDOWS: [number, number][] = [
  [h(8), h(12)], [h(12), h(17)], [h(7), h(10)], [h(14), h(18)], [h(8), h(18)], [h(9), h(13)], [h(10), h(16)],
];

export function buildCustomers(
  layout: CityLayout,
  network: RoadNetwork,
  carNode: Uint8Array,
  hubs: SimHub[],
  size: number,
  rnd: Random,
): SimCustomer[] {
  const { n, xs, ys } = layout;
  const d = network.data;
  const r = rnd.stream('customers');
  const want = Math.max(20, Math.min(5000, Math.round(size / 40)));
  const halfWidth = (xs[n - 1] - xs[0]) / 2;
  const hubNodes = new Set(hubs.map((x) => x.node));
  const taken = new Set<number>();
  const customers: SimCustomer[] = [];
  for (let tries = 0; customers.length < want && tries < want * 50; tries++) {
    const c = r.int(0, n - 1), rr = r.int(0, n - 1);
    const v = rr * n + c;
    if (!carNode[v] || taken.has(v) || hubNodes.has(v)) continue;
    // denser towards the centre, like the population
    if (!r.chance(Math.exp((-1.2 * Math.hypot(xs[c], ys[rr])) / halfWidth))) continue;
    taken.add(v);
    const street = streetOf(network, v);
    const [w0, w1] = r.pick(WINDOWS);
    const shift = r.int(0, 4) * 15 * 60;
    let hub = '';
    let best = Infinity;
    for (const x of hubs) {
      const dist = Math.hypot(x.lon - d.nodeLon[v], x.lat - d.nodeLat[v]);
      if (dist < best) {
        best = dist;
        hub = x.id;
      }
    }
    customers.push({
      id: `C${customers.length + 1}`,
      node: v,
      lon: d.nodeLon[v],
      lat: d.nodeLat[v],
      address: `${r.int(1, 199)} ${street}`,
      demandKg: Math.round(10 * Math.exp(r.uniform(0, Math.log(60)))),
      serviceSeconds: r.int(3, 15) * 60,
      timeWindow: [w0 + shift, Math.min(h(20), w1 + shift)],
      hub,
    });
  }
  return customers;
}

/** Name of the quietest named car street at a node (an address is on a side street when it can be). */
function streetOf(network: RoadNetwork, v: number): string {
  const { outOffsets, outEdges } = network;
  let name = '';
  let rank = Infinity;
  for (let p = outOffsets[v]; p < outOffsets[v + 1]; p++) {
    const e = outEdges[p];
    if (!(network.data.edgeModes[e] & MODE.car)) continue;
    const cls = network.roadClass(e);
    const k = cls === 'residential' ? 0 : cls === 'tertiary' ? 1 : cls === 'secondary' ? 2 : 3;
    const nm = network.edgeName(e);
    if (nm && k < rank) {
      rank = k;
      name = nm.replace(/ Bridge$/, '');
    }
  }
  return name || 'Unnamed Road';
}
