import { describe, expect, it } from 'vitest';
import { generateCity, buildGtfsZip } from '../../core/sim/index.js';
// the routing service's GTFS reader, which is strict about references and values
import { loadGtfsZip } from '../../services/routing/transit/gtfs-load.js';

describe('simulated GTFS through the routing GTFS loader', () => {
  it('loads without errors, with every stop, route and trip', () => {
    const city = generateCity({ size: 2000, seed: 1 });
    const feed = loadGtfsZip(buildGtfsZip(city));
    const stops = new Set(city.busLines.flatMap((l) => l.stops.map((s) => s.id)));
    expect(new Set(feed.stopIds)).toEqual(stops);
    expect(feed.routeIds.length).toBe(city.busLines.length);
    expect(feed.tripIds.length).toBeGreaterThan(city.busLines.length * 4);
    expect(feed.serviceIds.slice().sort()).toEqual(['WE', 'WK']);
    // stop times of each trip arrive later at each next stop
    for (let t = 0; t < feed.tripIds.length; t += 50) {
      for (let k = feed.tripStopOffsets[t] + 1; k < feed.tripStopOffsets[t + 1]; k++) expect(feed.stArrival[k]).toBeGreaterThan(feed.stDeparture[k - 1]);
    }
  });
});
