import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// The type checker is part of the suite so `npm test` alone says whether the tree is sound.
describe('typescript', () => {
  it('the whole tree type-checks under strict mode', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'tsconfig.json')], { encoding: 'utf8', cwd: ROOT });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);
});
