import { openSync, writeSync, closeSync } from 'node:fs';
import type { RoadNetwork } from '../graph/road-network.js';
import { MODE, modesToNames } from '../graph/modes.js';
import { edgeBetween } from './transit.js';

/**
 * Writes every directed edge as a GeoJSON LineString feature, streaming in chunks so a
 * million-edge city never holds the whole document in one string. Properties carry the edge id
 * and attributes plus OSM-style tags (highway, oneway, maxspeed ...), so the file is readable by
 * people, by GIS tools and by core/graph's GeoJSON importer (each feature is one direction; the
 * importer gives back the car, truck and bike network, walking two-way as OSM oneway rules say).
 */
export function writeNetworkGeoJson(network: RoadNetwork, file: string, bridges: ReadonlySet<number> = new Set()): number {
  const d = network.data;
  const fd = openSync(file, 'w');
  let bytes = 0;
  const put = (s: string) => {
    bytes += writeSync(fd, s);
  };
  const num = (x: number) => String(Math.round(x * 1e7) / 1e7);
  try {
    put('{"type":"FeatureCollection","features":[\n');
    let chunk: string[] = [];
    for (let e = 0; e < d.edgeCount; e++) {
      const modes = d.edgeModes[e];
      const car = (modes & MODE.car) !== 0;
      const props: Record<string, unknown> = {
        id: e,
        from: d.edgeFrom[e],
        to: d.edgeTo[e],
        highway: network.roadClass(e),
        oneway: 'yes',
        // true when the road carries cars in this direction only
        carOneway: car && edgeBetween(network, d.edgeTo[e], d.edgeFrom[e], MODE.car) < 0,
        name: network.edgeName(e) || undefined,
        ref: network.edgeRef(e) || undefined,
        lanes: d.edgeLanes[e],
        maxspeed: Math.round(d.edgeSpeedKmh[e]),
        length_m: +d.edgeLength[e].toFixed(1),
        capacity: Math.round(d.edgeCapacity[e]),
        free_flow_s: +d.edgeFreeFlowSeconds[e].toFixed(2),
        modes: modesToNames(modes),
        motor_vehicle: car ? undefined : 'no',
        hgv: car && !(modes & MODE.truck) ? 'no' : undefined,
        bicycle: modes & MODE.bike ? 'yes' : 'no',
        foot: modes & MODE.foot ? 'yes' : 'no',
        maxweight: d.edgeMaxWeight[e] > 0 ? d.edgeMaxWeight[e] : undefined,
        maxheight: d.edgeMaxHeight[e] > 0 ? +d.edgeMaxHeight[e].toFixed(2) : undefined,
        bridge: bridges.has(e) ? 'yes' : undefined,
      };
      const coords: string[] = [];
      for (let k = d.geomOffsets[e]; k < d.geomOffsets[e + 1]; k++) coords.push(`[${num(d.geomCoords[2 * k])},${num(d.geomCoords[2 * k + 1])}]`);
      chunk.push(`{"type":"Feature","properties":${JSON.stringify(props)},"geometry":{"type":"LineString","coordinates":[${coords.join(',')}]}}`);
      if (chunk.length >= 5000) {
        put(chunk.join(',\n') + (e + 1 < d.edgeCount ? ',\n' : ''));
        chunk = [];
      }
    }
    if (chunk.length) put(chunk.join(',\n'));
    put('\n]}\n');
  } finally {
    closeSync(fd);
  }
  return bytes;
}
