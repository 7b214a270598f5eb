import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { startUrbanflow } from '../../app/compose.js';
import { loadConfig } from '../../core/config/index.js';
import { silentLogger } from '../../core/log/index.js';
import { gridNetwork } from '../helpers/grid-network.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('composition root', () => {
  for (const mode of ['embedded', 'redis'] as const) {
    it(`wires store, bus and gateway in ${mode} mode and stops cleanly`, async () => {
      const config = loadConfig({
        env: {},
        overrides: {
          port: 0,
          host: '127.0.0.1',
          tokenSecret: 'compose-test-secret-01',
          dataDir: mkdtempSync(join(tmpdir(), 'uf-compose-')),
          ...(mode === 'redis' ? { redisUrl: REDIS_URL } : {}),
        },
      });
      const app = await startUrbanflow({ config, network: gridNetwork(4), logger: silentLogger(), schedules: false });
      try {
        expect(app.store.kind).toBe(mode);
        const r = await fetch(`http://127.0.0.1:${app.port}/ready`);
        expect(r.status).toBe(200);
        await app.store.put('probe', 'x', { ok: true });
        expect(await app.store.get('probe', 'x')).toEqual({ ok: true });
      } finally {
        await app.stop();
      }
      await expect(fetch(`http://127.0.0.1:${app.port}/health`)).rejects.toThrow();
    });
  }
});
