import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// Lint is part of the suite so `npm test` alone says whether the tree is clean.
describe('eslint', () => {
  it('reports no errors on the whole tree', () => {
    const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const r = spawnSync(process.execPath, [eslint, '--quiet', '.'], { encoding: 'utf8', cwd: ROOT });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);
});
