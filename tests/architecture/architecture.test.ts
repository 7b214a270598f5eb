import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { importsOf, listSources, violations } from './import-rules.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('architecture', () => {
  const files = listSources(ROOT, ['core', 'services', 'gateway', 'app', 'clients']);
  const edges = files.flatMap((f) => importsOf(ROOT, f));

  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(edges.some((e) => e.from.startsWith('gateway/') && e.to === 'express')).toBe(true);
  });

  it('keeps services, core, gateway and app in their layers', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('each service folder exposes createXService from its index.ts, and index.ts only hands names on', () => {
    for (const s of ['traffic', 'routing', 'logistics', 'signage']) {
      const index = join(ROOT, 'services', s, 'index.ts');
      if (!existsSync(index)) continue;
      const text = readFileSync(index, 'utf8');
      const name = `create${s[0].toUpperCase()}${s.slice(1)}Service`;
      expect(text, `services/${s}/index.ts exports ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').split('\n').filter((l) => l.trim());
      for (const line of code) expect(line.trim(), `services/${s}/index.ts: ${line}`).toMatch(/^(export\b|\}|[\w\s,{}]*\}?\s*from\b)/);
    }
  });

  it('the rules catch violations (the checker itself can fail)', () => {
    const fake = (from: string, text: string) => importsOf(ROOT, join(ROOT, from), text);
    const bad = [
      ...fake('services/routing/x.ts', "import { a } from '../traffic/estimator.js';"),
      ...fake('core/graph/y.ts', "import { b } from '../../services/routing/index.js';"),
      ...fake('services/logistics/z.ts', "import express from 'express';"),
      ...fake('app/w.ts', "import { c } from '../services/signage/registry.js';"),
      ...fake('services/routing/transit/raptor.ts', "import { d } from '../../../core/graph/index.js';"),
      ...fake('services/traffic/v.ts', "const m = await import('../../gateway/server.js');"),
    ];
    expect(violations(bad).length).toBe(6);
    const good = [
      ...fake('app/compose.ts', "import { createRoutingService } from '../services/routing/index.js';"),
      ...fake('services/routing/a.ts', "import { b } from './b.js';"),
      ...fake('gateway/http/r.ts', "import { Router } from 'express';"),
    ];
    expect(violations(good)).toEqual([]);
  });
});
