import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { loadConfig } from '../../core/config/index.js';

describe('configuration', () => {
  it('has working defaults with an empty environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.port).toBe(8080);
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toBe('.data');
  });
  it('reads a file and lets the environment win', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'uf-cfg-')), 'c.json');
    writeFileSync(f, JSON.stringify({ port: 9000, logLevel: 'warn', signage: { banned: ['x'] } }));
    const c = loadConfig({ env: { PORT: '9100' }, file: f });
    expect(c.port).toBe(9100);
    expect(c.logLevel).toBe('warn');
    expect(c.signage).toEqual({ banned: ['x'] });
  });
  it('names an unknown key in the file', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'uf-cfg-')), 'c.json');
    writeFileSync(f, JSON.stringify({ prot: 9000 }));
    expect(() => loadConfig({ env: {}, file: f })).toThrow(/unknown config key prot/);
  });
  it('names a bad value and a bad environment variable', () => {
    expect(() => loadConfig({ env: { PORT: 'eighty' } })).toThrow(/PORT must be a number/);
    expect(() => loadConfig({ env: { PORT: '70000' } })).toThrow(/port/);
    expect(() => loadConfig({ env: { REDIS_URL: 'not a url' } })).toThrow(/redisUrl/);
    expect(() => loadConfig({ env: { URBANFLOW_CONFIG: '/nonexistent.json' } })).toThrow(/does not exist/);
  });
});
