// Runs every benchmark in bench/ one after the other (they measure; running them in parallel
// on two cores would measure each other). Each prints its own side-by-side ratios.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const [i, f] of files.entries()) {
  process.stderr.write(`\n=== [${i + 1}/${files.length}] ${f} ===\n`);
  const r = spawnSync(process.execPath, [join(here, '..', 'bin', 'run-ts.mjs'), join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
