import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One import found in a source file: who imports what (repo-relative, '/'-separated). */
export interface ImportEdge {
  from: string;
  /** repo-relative path for relative imports, else the package name */
  to: string;
  external: boolean;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

export function listSources(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) {
    try {
      walk(join(root, d));
    } catch {
      // a folder that does not exist yet has no imports to check
    }
  }
  return out;
}

export function importsOf(root: string, file: string, text = readFileSync(file, 'utf8')): ImportEdge[] {
  const from = relative(root, file).split(sep).join('/');
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    if (spec.startsWith('.')) {
      const to = relative(root, resolve(dirname(file), spec)).split(sep).join('/');
      edges.push({ from, to, external: false });
    } else {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      edges.push({ from, to: pkg, external: true });
    }
  }
  return edges;
}

const serviceOf = (p: string) => /^services\/([^/]+)\//.exec(p)?.[1];
const HTTP_PACKAGES = new Set(['express', 'socket.io', 'socket.io-client', '@socket.io/redis-adapter']);

/** The layering rules of ARCHITECTURE.md; returns one message per broken rule. */
export function violations(edges: ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const fromService = serviceOf(e.from);
    if (e.external) {
      if (HTTP_PACKAGES.has(e.to) && !e.from.startsWith('gateway/') && !e.from.startsWith('clients/')) {
        out.push(`${e.from} imports ${e.to}: only gateway/ knows express and socket.io`);
      }
      continue;
    }
    const toService = serviceOf(e.to);
    if (e.from.startsWith('core/') && /^(services|gateway|app|clients)\//.test(e.to)) {
      out.push(`${e.from} imports ${e.to}: core/ imports no service, gateway, app or client`);
    }
    if (fromService && /^(gateway|app|clients)\//.test(e.to)) {
      out.push(`${e.from} imports ${e.to}: a service does not know the gateway or the app`);
    }
    if (toService && fromService !== toService) {
      const front = new RegExp(`^services/${toService}(/index(\\.[jt]s)?)?$`);
      if (fromService) out.push(`${e.from} imports ${e.to}: no service imports another service's files`);
      else if (!front.test(e.to)) out.push(`${e.from} imports ${e.to}: outside code uses only services/${toService}/index.ts`);
    }
    if (/^services\/routing\/transit\/raptor/.test(e.from) && !/^services\/routing\/transit\/raptor/.test(e.to) && !e.to.startsWith('core/errors')) {
      out.push(`${e.from} imports ${e.to}: RAPTOR depends on nothing else in the code base`);
    }
    if (e.from.startsWith('clients/') && /^(services|gateway|app)\//.test(e.to)) {
      out.push(`${e.from} imports ${e.to}: the sign client uses only core/ code`);
    }
  }
  return out;
}
