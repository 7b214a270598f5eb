import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { createEmbeddedStore } from '../../core/store/index.js';

describe('embedded store under SIGKILL', () => {
  it('loses nothing it acknowledged when the writer is killed mid-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uf-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers/crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: string[] = [];
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        acked.push(...lines);
        // enough writes to have crossed several compactions, then kill in the middle of work
        if (acked.length >= 3000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    await new Promise((r) => child.once('close', r));
    expect(acked.length).toBeGreaterThanOrEqual(3000);

    const store = await createEmbeddedStore({ dir });
    const logged = new Map((await store.readLog<{ id: string }>('audit')).map((e) => [e.entry.id, e.seq]));
    let puts = 0;
    for (const line of acked) {
      const [kind, id, seq] = line.split(' ');
      if (kind === 'put') {
        puts++;
        expect(await store.get('orders', id), `acknowledged put ${id}`).toEqual({ id, payload: 'x'.repeat(100) });
      } else {
        expect(logged.get(id), `acknowledged append ${id}`).toBe(Number(seq));
      }
    }
    expect(puts).toBeGreaterThan(1000);
    await store.close();
  });
});
