import { invalidFile } from '../../../core/errors/index.js';

export interface SpeedTable {
  sensorIds: string[];
  /** one row per time step, one column per sensor; NaN = missing (a 0 reading counts as missing) */
  rows: Float64Array[];
  /** how many 0 readings were turned into missing values */
  zeroReadings: number;
}

/**
 * A speeds CSV as in traffic-obs/los-loop: a header of sensor ids, then one row of speeds per
 * time step (no timestamp column). A 0 reading is a detector reporting no data, not a standstill
 * (the loop data never show real 0 speeds on a freeway), so it becomes missing. An empty, NaN or
 * non-numeric cell, a negative speed or a row of the wrong length is INVALID_FILE naming line and column.
 */
export function parseSpeedsCsv(text: string, fileName: string): SpeedTable {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw invalidFile(fileName, 'empty file: expected a header of sensor ids', { line: 1 });
  const sensorIds = lines[0].split(',').map((s) => s.trim());
  if (sensorIds.some((s) => s === '')) throw invalidFile(fileName, 'line 1: empty sensor id in the header', { line: 1 });
  const n = sensorIds.length;
  const rows: Float64Array[] = [];
  let zeroReadings = 0;
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== n) throw invalidFile(fileName, `line ${i + 1}: ${cells.length} values, the header has ${n} sensors`, { line: i + 1 });
    const row = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const cell = cells[c].trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v) || v < 0) {
        throw invalidFile(fileName, `line ${i + 1}, column ${c + 1} (sensor ${sensorIds[c]}): '${cell}' is not a speed`, { line: i + 1, column: c + 1 });
      }
      if (v === 0) {
        zeroReadings++;
        row[c] = NaN;
      } else row[c] = v;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw invalidFile(fileName, 'no data rows after the header', { line: 2 });
  return { sensorIds, rows, zeroReadings };
}

/** A square weighted adjacency CSV (no header), n x n, row-major. */
export function parseAdjacencyCsv(text: string, fileName: string, n: number): Float64Array {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length !== n) throw invalidFile(fileName, `${lines.length} rows, expected ${n} (one per sensor)`, { line: lines.length });
  const out = new Float64Array(n * n);
  lines.forEach((line, i) => {
    const cells = line.split(',');
    if (cells.length !== n) throw invalidFile(fileName, `line ${i + 1}: ${cells.length} values, expected ${n}`, { line: i + 1 });
    for (let c = 0; c < n; c++) {
      const v = Number(cells[c].trim());
      if (cells[c].trim() === '' || !Number.isFinite(v) || v < 0) throw invalidFile(fileName, `line ${i + 1}, column ${c + 1}: '${cells[c].trim()}' is not a non-negative weight`, { line: i + 1, column: c + 1 });
      out[i * n + c] = v;
    }
  });
  return out;
}
