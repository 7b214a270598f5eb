import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { generateCity, writeCity, readCity, CITY_FILES } from '../../core/sim/index.js';
import { writeFileSync } from 'node:fs';
import { readSnapshot } from '../../core/graph/snapshot.js';
import { parseTntpTrips } from '../../core/tntp/index.js';

const root = mkdtempSync(join(tmpdir(), 'urbanflow-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeCity', () => {
  const city = generateCity({ size: 600, seed: 5 });

  it('writes every file, each readable and consistent with the city', async () => {
    const dir = join(root, 'a');
    const files = await writeCity(city, dir, { imageWidth: 400 });
    expect(files.map((f) => f.name).sort()).toEqual([...CITY_FILES].sort());
    expect(readdirSync(dir).sort()).toEqual([...CITY_FILES].sort());
    for (const f of files) expect(f.bytes, f.name).toBeGreaterThan(0);

    const back = await readSnapshot(join(dir, 'city.graph'));
    expect(back.edgeCount).toBe(city.network.edgeCount);
    expect(Array.from(back.data.edgeTo)).toEqual(Array.from(city.network.data.edgeTo));
    expect(back.edgeName(city.bridges[0])).toBe(city.network.edgeName(city.bridges[0]));

    const geo = JSON.parse(readFileSync(join(dir, 'city.geojson'), 'utf8'));
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.length).toBe(city.network.edgeCount);
    const f0 = geo.features[city.bridges[0]];
    expect(f0.properties.id).toBe(city.bridges[0]);
    expect(f0.properties.bridge).toBe('yes');
    expect(f0.geometry.type).toBe('LineString');
    expect(f0.geometry.coordinates[0][0]).toBeCloseTo(city.network.data.nodeLon[city.network.data.edgeFrom[city.bridges[0]]], 6);
    const ow = geo.features[city.layout.oneWayEdges[0]];
    expect(ow.properties.carOneway).toBe(true);

    const trips = parseTntpTrips(readFileSync(join(dir, 'demand_trips.tntp'), 'utf8'), 'demand_trips.tntp');
    expect(trips.zones).toBe(city.zones.length);
    expect(JSON.parse(readFileSync(join(dir, 'zones.json'), 'utf8'))).toEqual(city.zones);
    expect(JSON.parse(readFileSync(join(dir, 'hubs.json'), 'utf8'))).toEqual(city.hubs);
    expect(JSON.parse(readFileSync(join(dir, 'customers.json'), 'utf8'))).toEqual(city.customers);
    const summary = JSON.parse(readFileSync(join(dir, 'city.json'), 'utf8'));
    expect(summary.bridges).toEqual(city.bridges);
    expect(summary.counts.edges).toBe(city.network.edgeCount);

    const png = PNG.sync.read(readFileSync(join(dir, 'city.png')));
    expect(png.width).toBe(400);
    expect(png.height).toBeGreaterThan(100);
    // the picture shows the river (blue) and roads (not only background)
    let blue = 0, other = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      const [r, g, b] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
      if (r === 110 && g === 165 && b === 230) blue++;
      else if (!(r === 250 && g === 248 && b === 242)) other++;
    }
    expect(blue).toBeGreaterThan(50);
    expect(other).toBeGreaterThan(1000);
  });

  it('writes byte-identical files for the same seed and size', async () => {
    const a = join(root, 'b1'), b = join(root, 'b2');
    await writeCity(generateCity({ size: 600, seed: 5 }), a, { imageWidth: 300 });
    await writeCity(generateCity({ size: 600, seed: 5 }), b, { imageWidth: 300 });
    for (const name of CITY_FILES) expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), name).toBe(true);
  });

  it('reads a written city back to the same city', async () => {
    const dir = join(root, 'r');
    await writeCity(city, dir, { skip: ['city.geojson', 'city.png', 'gtfs.zip'] });
    const back = await readCity(dir);
    expect(back.network.edgeCount).toBe(city.network.edgeCount);
    expect(Array.from(back.network.data.edgeFrom)).toEqual(Array.from(city.network.data.edgeFrom));
    const { network: _a, ...rest } = back;
    const { network: _b, ...expected } = city;
    expect(rest).toEqual(expected);
  });

  it('refuses a missing or malformed city file with INVALID_FILE naming it', async () => {
    const dir = join(root, 'bad');
    await writeCity(city, dir, { skip: ['city.geojson', 'city.png', 'gtfs.zip'] });
    writeFileSync(join(dir, 'hubs.json'), '{ not json');
    await expect(readCity(dir)).rejects.toMatchObject({ code: 'INVALID_FILE', field: 'hubs.json' });
    await expect(readCity(join(root, 'nowhere'))).rejects.toMatchObject({ code: 'INVALID_FILE' });
  });

  it('skips files on request', async () => {
    const dir = join(root, 'c');
    const files = await writeCity(city, dir, { skip: ['city.geojson', 'city.png', 'gtfs.zip'] });
    expect(files.map((f) => f.name)).not.toContain('city.geojson');
    expect(readdirSync(dir)).not.toContain('city.png');
  });
});
