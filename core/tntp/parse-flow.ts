import { invalidFile } from '../errors/index.js';
import { dataTokens, fieldNumber } from './tntp-metadata.js';

export interface TntpFlowRow {
  from: number;
  to: number;
  volume: number;
  cost: number;
}

/**
 * A TNTP `_flow.tntp` file (From, To, Volume, Cost; one link per line in the net file's order).
 * The first line is a header when it does not start with a number.
 */
export function parseTntpFlow(text: string, fileName: string): TntpFlowRow[] {
  const lines = text.split(/\r?\n/);
  const rows: TntpFlowRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('~') || t.startsWith('<')) continue;
    const tok = dataTokens(t);
    if (rows.length === 0 && !Number.isFinite(Number(tok[0]))) continue; // header line
    if (tok.length < 4) throw invalidFile(fileName, `line ${i + 1}: expected From To Volume Cost, got ${tok.length} fields`, { line: i + 1 });
    rows.push({
      from: fieldNumber(tok[0], fileName, i + 1, 'From'),
      to: fieldNumber(tok[1], fileName, i + 1, 'To'),
      volume: fieldNumber(tok[2], fileName, i + 1, 'Volume'),
      cost: fieldNumber(tok[3], fileName, i + 1, 'Cost'),
    });
  }
  return rows;
}

/** Writes link volumes and costs in the same layout (tab separated, header line). */
export function formatTntpFlow(rows: readonly TntpFlowRow[]): string {
  const out = ['From \tTo \tVolume \tCost '];
  for (const r of rows) out.push(`${r.from} \t${r.to} \t${r.volume} \t${r.cost} `);
  return `${out.join('\n')}\n`;
}
