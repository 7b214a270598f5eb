import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTntpFlow, parseTntpNet, parseTntpNodes, parseTntpTrips, tripsToTriples } from '../../core/tntp/index.js';
import { UrbanflowError } from '../../core/errors/index.js';

const dir = 'fixtures/tntp/SiouxFalls';
const read = (f: string) => readFileSync(`${dir}/${f}`, 'utf8');

function expectInvalid(fn: () => unknown, ...parts: (string | RegExp)[]) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UrbanflowError);
    const err = e as UrbanflowError;
    expect(err.code).toBe('INVALID_FILE');
    for (const p of parts) expect(err.message).toMatch(p);
    return err;
  }
  throw new Error('expected an INVALID_FILE error');
}

describe('TNTP parsers on SiouxFalls', () => {
  it('reads the net file', () => {
    const net = parseTntpNet(read('SiouxFalls_net.tntp'), 'SiouxFalls_net.tntp');
    expect(net.metadata).toMatchObject({ zones: 24, nodes: 24, firstThruNode: 1, links: 76, tollFactor: 0, distanceFactor: 0 });
    expect(net.metadata.entries['NUMBER OF LINKS']).toBe('76');
    expect(net.links).toHaveLength(76);
    expect(net.links[0]).toEqual({ init: 1, term: 2, capacity: 25900.20064, length: 6, freeFlowTime: 6, b: 0.15, power: 4, speed: 0, toll: 0, linkType: 1 });
    expect(net.links[75].init).toBe(24);
  });

  it('reads the trips file; the entries sum to the stated total', () => {
    const t = parseTntpTrips(read('SiouxFalls_trips.tntp'), 'SiouxFalls_trips.tntp');
    expect(t.zones).toBe(24);
    expect(t.totalFlow).toBe(360600);
    expect(t.od[0 * 24 + 1]).toBe(100); // 1 -> 2
    expect(t.od[0 * 24 + 9]).toBe(1300); // 1 -> 10
    expect(t.od.reduce((a, b) => a + b, 0)).toBeCloseTo(360600, 6);
    const triples = tripsToTriples(t);
    expect(triples.every((x) => x.origin !== x.destination)).toBe(true);
  });

  it('reads the flow and node files', () => {
    const f = parseTntpFlow(read('SiouxFalls_flow.tntp'), 'SiouxFalls_flow.tntp');
    expect(f).toHaveLength(76);
    expect(f[0].from).toBe(1);
    expect(f[0].volume).toBeCloseTo(4494.6576464564205, 9);
    const n = parseTntpNodes(read('SiouxFalls_node.tntp'), 'SiouxFalls_node.tntp');
    expect(n).toHaveLength(24);
    expect(n[0]).toEqual({ node: 1, x: -96.77041974, y: 43.61282792 });
  });
});

describe('TNTP parser errors', () => {
  const net = read('SiouxFalls_net.tntp');
  it('missing <NUMBER OF LINKS>', () => {
    const bad = net.replace(/<NUMBER OF LINKS>[^\n]*\n/, '');
    expectInvalid(() => parseTntpNet(bad, 'x_net.tntp'), 'x_net.tntp', 'NUMBER OF LINKS');
  });
  it('malformed number names file and line', () => {
    const lines = net.split('\n');
    const i = lines.findIndex((l) => /^\s*1\s+3\s/.test(l));
    lines[i] = lines[i].replace('23403.47319', '23x03.4');
    const err = expectInvalid(() => parseTntpNet(lines.join('\n'), 'x_net.tntp'), 'x_net.tntp', `line ${i + 1}`, 'capacity');
    expect((err.details as { line: number }).line).toBe(i + 1);
  });
  it('link count mismatch', () => {
    const bad = net.replace('<NUMBER OF LINKS> 76', '<NUMBER OF LINKS> 77');
    expectInvalid(() => parseTntpNet(bad, 'x_net.tntp'), 'says 77', '76 link lines');
  });
  it('node out of range', () => {
    const bad = net.replace('<NUMBER OF NODES> 24', '<NUMBER OF NODES> 23').replace('<NUMBER OF ZONES> 24', '<NUMBER OF ZONES> 23');
    expectInvalid(() => parseTntpNet(bad, 'x_net.tntp'), /node number in 1\.\.23/);
  });
  it('trips: wrong total, bad destination, bad flow', () => {
    const trips = read('SiouxFalls_trips.tntp');
    expectInvalid(() => parseTntpTrips(trips.replace('360600.0', '360700.0'), 't.tntp'), 't.tntp', 'TOTAL OD FLOW');
    expectInvalid(() => parseTntpTrips(trips.replace('2 :    100.0;', '25 :    100.0;'), 't.tntp'), 'destination 25');
    expectInvalid(() => parseTntpTrips(trips.replace('2 :    100.0;', '2 :    1o0.0;'), 't.tntp'), /line \d+/, 'flow');
    expectInvalid(() => parseTntpTrips(trips.replace(/<NUMBER OF ZONES>[^\n]*\n/, ''), 't.tntp'), 'NUMBER OF ZONES');
  });
  it('flow and nodes: malformed numbers', () => {
    expectInvalid(() => parseTntpFlow('From To Volume Cost\n1 2 abc 3\n', 'f.tntp'), 'line 2', 'Volume');
    expectInvalid(() => parseTntpNodes('Node X Y ;\n1 2 ;\n', 'n.tntp'), 'line 2');
    expectInvalid(() => parseTntpNodes('Node X Y ;\n1 2 3 ;\n1 4 5 ;\n', 'n.tntp'), 'appears twice');
  });
});
