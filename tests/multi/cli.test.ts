import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { run } from '../../app/cli/commands/multi.js';
import { renderMulti, pageRows } from '../../core/multi/index.js';
import type { CliIo } from '../../app/cli/cli-io.js';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => ({ update() {}, done() {} }) };
}

describe('urbanflow multi render', () => {
  it('prints one JSON document with the pages as rows matching the renderer', async () => {
    const io = capture();
    const status = await run(['render', 'A[np][cf1]B', '--width', '20', '--height', '7', '--json'], io);
    expect(status).toBe(0);
    expect(io.out).toHaveLength(1);
    const doc = JSON.parse(io.out[0]);
    const expected = renderMulti('A[np][cf1]B', { type: 'full', width: 20, height: 7 });
    expect(doc.pages).toHaveLength(2);
    expect(doc.pages[1].rows).toEqual(pageRows(expected.pages[1].pixels, 20).rows);
    expect(doc.pages[1].palette).toEqual(['#000000', '#ff0000']);
  });

  it('reports errors with their positions and exits 1', async () => {
    const io = capture();
    const status = await run(['render', 'OK[zz]', '--width', '40', '--height', '7', '--json'], io);
    expect(status).toBe(1);
    const doc = JSON.parse(io.out[0]);
    expect(doc.ok).toBe(false);
    expect(doc.errors[0]).toMatchObject({ code: 'unsupportedTag', position: 2, length: 4 });
  });

  it('writes an LED picture of page 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'multi-cli-'));
    const out = join(dir, 'face.png');
    const status = await run(['render', '[cf3]I', '--width', '10', '--height', '7', '--out', out, '--scale', '2'], capture());
    expect(status).toBe(0);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([20, 14]);
    // the top of the 'I' (pixel 4,0 -> png 8..9, 0..1) is lit green
    const k = 4 * (0 * 20 + 8);
    expect([png.data[k], png.data[k + 1], png.data[k + 2]]).toEqual([0, 255, 0]);
  });

  it('refuses bad arguments with INVALID_INPUT', async () => {
    await expect(run(['render', 'A', '--width', 'wide', '--height', '7'], capture())).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'width' });
    await expect(run(['render', 'A', '--width', '5000', '--height', '7'], capture())).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'width' });
    await expect(run(['paint', 'A'], capture())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(run(['render', 'A', '--width', '10', '--height', '7', '--type', 'round'], capture())).rejects.toMatchObject({ field: 'type' });
  });
});
