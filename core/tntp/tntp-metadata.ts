import { invalidFile } from '../errors/index.js';

/**
 * Shared pieces of the TNTP text formats (github.com/bstabler/TransportationNetworks):
 * `<KEY> value` metadata lines up to `<END OF METADATA>`, `~` comment lines, `;` terminators.
 */

export interface TntpLine {
  /** 1-based line number in the file */
  line: number;
  text: string;
}

export interface TntpHeader {
  /** every `<KEY> value` line, key upper-cased and trimmed, value trimmed */
  entries: Map<string, string>;
  /** line number where each key was found */
  lineOf: Map<string, number>;
  /** the lines after `<END OF METADATA>` (comments and blank lines dropped) */
  body: TntpLine[];
}

const META = /^\s*<([^>]+)>(.*)$/;

/** Split a TNTP file into its metadata map and the data lines after it. */
export function readTntpHeader(text: string, fileName: string, requireEnd = true): TntpHeader {
  const lines = text.split(/\r?\n/);
  const entries = new Map<string, string>();
  const lineOf = new Map<string, number>();
  const body: TntpLine[] = [];
  let inBody = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (!inBody) {
      const m = META.exec(raw);
      if (m) {
        const key = m[1].trim().toUpperCase();
        if (key === 'END OF METADATA') {
          inBody = true;
          continue;
        }
        entries.set(key, m[2].trim());
        lineOf.set(key, i + 1);
        continue;
      }
      if (raw.trim() === '' || raw.trim().startsWith('~')) continue;
      if (requireEnd) throw invalidFile(fileName, `line ${i + 1}: expected a <KEY> value metadata line or <END OF METADATA>`, { line: i + 1 });
      inBody = true;
    }
    const t = raw.trim();
    if (t === '' || t.startsWith('~')) continue;
    body.push({ line: i + 1, text: raw });
  }
  if (requireEnd && !inBody) throw invalidFile(fileName, 'missing <END OF METADATA>', { line: lines.length });
  return { entries, lineOf, body };
}

/** A metadata value that must be present and numeric. */
export function metaNumber(h: TntpHeader, key: string, fileName: string, opts: { integer?: boolean; optional?: number } = {}): number {
  const v = h.entries.get(key);
  if (v === undefined) {
    if (opts.optional !== undefined) return opts.optional;
    throw invalidFile(fileName, `missing metadata line <${key}>`, { key });
  }
  const n = Number(v);
  const line = h.lineOf.get(key);
  if (v === '' || !Number.isFinite(n)) throw invalidFile(fileName, `line ${line}: <${key}> is not a number: '${v}'`, { line, key });
  if (opts.integer && (!Number.isInteger(n) || n < 0)) throw invalidFile(fileName, `line ${line}: <${key}> must be a non-negative integer, got '${v}'`, { line, key });
  return n;
}

/** Parse one numeric field of a data line. */
export function fieldNumber(token: string | undefined, fileName: string, line: number, column: string): number {
  if (token === undefined || token === '') throw invalidFile(fileName, `line ${line}: missing field ${column}`, { line, column });
  const n = Number(token);
  if (!Number.isFinite(n)) throw invalidFile(fileName, `line ${line}: field ${column} is not a number: '${token}'`, { line, column });
  return n;
}

/** Tokens of a data line: whitespace separated, the trailing ';' dropped. */
export function dataTokens(text: string): string[] {
  let t = text.trim();
  if (t.endsWith(';')) t = t.slice(0, -1);
  return t.split(/\s+/).filter((s) => s !== '' && s !== ';');
}
