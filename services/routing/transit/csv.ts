import { UrbanflowError } from '../../../core/errors/index.js';

/**
 * A small, fast CSV reader for GTFS text files (RFC 4180 plus the quirks real feeds have):
 * byte-order mark, CRLF or LF line ends, spaces around header names, quoted fields with commas,
 * doubled quotes and line breaks inside quotes, blank lines. One pass over the decoded string with
 * charCodeAt; the row array is reused, so callers copy what they keep.
 */
export interface CsvTable {
  file: string;
  header: string[];
  /** column index of a header name, -1 when absent */
  col(name: string): number;
  /** calls onRow(fields, line) for every data row; line is 1-based (header = line 1) */
  forEach(onRow: (fields: string[], line: number) => void): void;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

export function decodeText(bytes: Uint8Array): string {
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

export function readCsv(file: string, text: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const len = text.length;
  let pos = 0;
  let line = 1;
  const fields: string[] = [];

  /** reads one record into `fields`; returns false at end of input */
  function next(): boolean {
    fields.length = 0;
    if (pos >= len) return false;
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        pos++;
        let out = '';
        let start = pos;
        for (;;) {
          if (pos >= len) throw new UrbanflowError('INVALID_FILE', `${file} line ${line}: unterminated quoted field`, { field: file, details: { line } });
          const c = text.charCodeAt(pos);
          if (c === QUOTE) {
            if (text.charCodeAt(pos + 1) === QUOTE) {
              out += text.slice(start, pos + 1);
              pos += 2;
              start = pos;
              continue;
            }
            out += text.slice(start, pos);
            pos++;
            break;
          }
          if (c === LF) line++;
          pos++;
        }
        // tolerate stray characters between the closing quote and the separator
        const s = pos;
        while (pos < len) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === CR || c === LF) break;
          pos++;
        }
        value = s === pos ? out : out + text.slice(s, pos);
      } else {
        const s = pos;
        while (pos < len) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === CR || c === LF) break;
          pos++;
        }
        value = text.slice(s, pos);
      }
      fields.push(value);
      if (pos >= len) return true;
      const c = text.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        continue;
      }
      // end of record: CRLF, LF or lone CR
      if (c === CR) pos++;
      if (pos < len && text.charCodeAt(pos) === LF) pos++;
      line++;
      return true;
    }
  }

  const hasHeader = next();
  const header = hasHeader ? fields.map((h) => h.trim().replace(/^\ufeff/, '')) : [];
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  let consumed = false;
  return {
    file,
    header,
    col: (name) => index.get(name) ?? -1,
    forEach(onRow) {
      if (consumed) throw new Error(`${file}: CSV rows can be read once`);
      consumed = true;
      for (;;) {
        const rowLine = line;
        if (!next()) break;
        // skip blank lines
        if (fields.length === 1 && fields[0] === '') continue;
        onRow(fields, rowLine);
      }
    },
  };
}
