import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { writeSnapshot } from '../../core/graph/index.js';
import { gridNetwork } from '../helpers/grid-network.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('urbanflow serve as a real process', () => {
  it('starts on a snapshot, serves, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-serve-'));
    const graph = join(dir, 'grid.graph');
    await writeSnapshot(gridNetwork(6), graph);
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'urbanflow.mjs'), 'serve', '--graph', graph, '--port', '0'], {
      env: { ...process.env, URBANFLOW_DATA_DIR: join(dir, 'data'), URBANFLOW_TOKEN_SECRET: 'serve-test-secret-0123', HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${log}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /"port":(\d+),"msg":"urbanflow listening"/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}:\n${log}`)));
    });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).edges).toBe(120);

    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(log).toMatch(/shutting down/);
  });
});
