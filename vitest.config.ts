import { defineConfig } from 'vitest/config';

// Two cores here: run files in parallel forks, but keep per-test timeouts generous
// because the real-data tests (OSM import, GTFS, VRP) do real work.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
