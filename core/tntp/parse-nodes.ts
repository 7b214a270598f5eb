import { invalidFile } from '../errors/index.js';
import { dataTokens, fieldNumber } from './tntp-metadata.js';

export interface TntpNode {
  node: number;
  x: number;
  y: number;
}

/** A TNTP `_node.tntp` file: header `Node X Y ;`, then one node per line. */
export function parseTntpNodes(text: string, fileName: string): TntpNode[] {
  const lines = text.split(/\r?\n/);
  const out: TntpNode[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('~') || t.startsWith('<')) continue;
    const tok = dataTokens(t);
    if (out.length === 0 && !Number.isFinite(Number(tok[0]))) continue; // header line
    if (tok.length < 3) throw invalidFile(fileName, `line ${i + 1}: expected Node X Y, got ${tok.length} fields`, { line: i + 1 });
    const node = fieldNumber(tok[0], fileName, i + 1, 'Node');
    if (!Number.isInteger(node) || node < 1) throw invalidFile(fileName, `line ${i + 1}: node number must be a positive integer, got '${tok[0]}'`, { line: i + 1, column: 'Node' });
    if (seen.has(node)) throw invalidFile(fileName, `line ${i + 1}: node ${node} appears twice`, { line: i + 1, column: 'Node' });
    seen.add(node);
    out.push({ node, x: fieldNumber(tok[1], fileName, i + 1, 'X'), y: fieldNumber(tok[2], fileName, i + 1, 'Y') });
  }
  return out;
}
