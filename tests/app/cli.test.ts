import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'urbanflow.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('urbanflow CLI basics', () => {
  it('lists its commands and exits 2 on an unknown one with one line on stderr', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/serve/);
    const bad = cli(['frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('token prints one JSON document whose token carries the role and device id', () => {
    const r = cli(['token', '--role', 'vehicle', '--id', 'truck-9', '--ttl', '120', '--json'], { URBANFLOW_TOKEN_SECRET: 'cli-test-secret-012345' });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.role).toBe('vehicle');
    expect(doc.sub).toBe('truck-9');
    const claims = JSON.parse(Buffer.from(doc.token.split('.')[0], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(120);
  });
  it('token refuses a bad role, a missing secret and an unknown flag with status 2', () => {
    for (const [args, env] of [
      [['token', '--role', 'root'], { URBANFLOW_TOKEN_SECRET: 'cli-test-secret-012345' }],
      [['token', '--role', 'admin'], { URBANFLOW_TOKEN_SECRET: '' }],
      [['token', '--role', 'admin', '--colour'], { URBANFLOW_TOKEN_SECRET: 'cli-test-secret-012345' }],
    ] as const) {
      const r = cli([...args], { ...env });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    }
  });
});
