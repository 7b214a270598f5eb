import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile } from 'node:fs/promises';
import { UrbanflowError } from '../../core/errors/index.js';

/** What a CLI command may print to: results on stdout, everything else on stderr. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** a progress bar on stderr; fraction in [0, 1]; call done() at the end */
  progress(label: string): { update(fraction: number, note?: string): void; done(note?: string): void };
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    progress: (label) => progressBar(label),
  };
}

function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let last = -1;
  const draw = (fraction: number, note = '') => {
    const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const bar = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${note}`;
    // on a terminal redraw in place; in logs print every 10 % so CI output stays short, and say
    // nothing at 0 %, so a command that fails on its input at once prints only its error line
    if (tty) process.stderr.write(`\r${bar}`);
    else if (pct % 10 === 0 && pct > 0) process.stderr.write(`${bar}\n`);
  };
  return {
    update: draw,
    done: (note = '') => {
      last = -1;
      draw(1, note);
      if (tty) process.stderr.write('\n');
    },
  };
}

/** node:util parseArgs with errors turned into exit-status-2 errors that name the option. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UrbanflowError('INVALID_INPUT', (e as Error).message.split('\n')[0]);
  }
}

export function requireOption<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new UrbanflowError('INVALID_INPUT', `--${name} is required`, { field: name });
  return value;
}

export function numberOption(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UrbanflowError('INVALID_INPUT', `--${name} is required`, { field: name });
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UrbanflowError('INVALID_INPUT', `--${name} must be a number, got '${value}'`, { field: name });
  return n;
}

/** "LON,LAT" -> [lon, lat] with range checks */
export function lonLatOption(value: string | undefined, name: string): [number, number] {
  const raw = requireOption(value, name);
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p))) {
    throw new UrbanflowError('INVALID_INPUT', `--${name} must be LON,LAT, got '${raw}'`, { field: name });
  }
  const [lon, lat] = parts;
  if (lon < -180 || lon > 180) throw new UrbanflowError('INVALID_INPUT', `--${name} longitude must be between -180 and 180`, { field: name });
  if (lat < -90 || lat > 90) throw new UrbanflowError('INVALID_INPUT', `--${name} latitude must be between -90 and 90`, { field: name });
  return [lon, lat];
}

/** The text of an input file named by an option; a missing or unreadable file is INVALID_FILE naming the option. */
export async function readInputText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `${file}: cannot read --${option} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { field: option });
  }
}
