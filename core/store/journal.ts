import { promises as fs, existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * An append-only journal file of JSON records, one per line, each prefixed with its CRC-32 so
 * a torn or damaged tail (a crash in the middle of a write) is recognised and dropped on
 * replay. Writes are group-committed: every record queued while an fsync is running goes
 * out in the next single write + fsync, and each caller's promise resolves only after the
 * fsync that covers its record.
 */
export class Journal {
  private handle: fs.FileHandle | undefined;
  private queue: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  private bytes = 0;

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<Journal> {
    const j = new Journal(file);
    j.handle = await fs.open(file, 'a');
    j.bytes = (await j.handle.stat()).size;
    return j;
  }

  get size(): number {
    return this.bytes;
  }

  append(record: unknown): Promise<void> {
    const json = JSON.stringify(record);
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.handle) throw new Error(`journal ${this.file} is closed`);
        const data = batch.map((b) => b.line).join('');
        await this.handle.write(data);
        await this.handle.datasync();
        this.bytes += Buffer.byteLength(data);
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.writing = false;
  }

  /** wait for everything queued so far */
  async settle(): Promise<void> {
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 1));
  }

  async close(): Promise<void> {
    await this.settle();
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Records of a journal file in order; stops at the first damaged line (the torn tail). */
  static replay(file: string): { records: unknown[]; damagedTail: boolean } {
    if (!existsSync(file)) return { records: [], damagedTail: false };
    const text = readFileSync(file, 'utf8');
    const records: unknown[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') continue;
      const sp = line.indexOf(' ');
      const json = line.slice(sp + 1);
      const ok = sp === 8 && parseInt(line.slice(0, 8), 16) === crc32(json);
      if (!ok) return { records, damagedTail: true };
      records.push(JSON.parse(json));
    }
    return { records, damagedTail: false };
  }
}

export function ensureDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
}

export function removeOldJournals(dir: string, keepGeneration: number): void {
  for (const f of readdirSync(dir)) {
    const m = /^journal-(\d+)\.log$/.exec(f);
    if (m && Number(m[1]) < keepGeneration) unlinkSync(join(dir, f));
  }
}
