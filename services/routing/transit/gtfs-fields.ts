import { UrbanflowError } from '../../../core/errors/index.js';
import type { CsvTable } from './csv.js';

/** Helpers shared by the GTFS readers: errors naming file and line, required columns, trimmed fields. */
export const MODULE = 'services/routing/transit/gtfs-load';

export function bad(file: string, line: number | undefined, message: string): UrbanflowError {
  const where = line === undefined ? file : `${file} line ${line}`;
  return new UrbanflowError('INVALID_FILE', `${where}: ${message}`, { field: file, module: MODULE, details: { file, line } });
}

export function need(t: CsvTable, name: string): number {
  const i = t.col(name);
  if (i < 0) throw bad(t.file, 1, `missing required column '${name}'`);
  return i;
}

export const get = (row: string[], i: number): string => (i >= 0 && i < row.length ? row[i].trim() : '');

