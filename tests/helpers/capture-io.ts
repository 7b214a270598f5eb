import type { CliIo } from '../../app/cli/cli-io.js';

/** A CliIo that keeps what a command prints, for calling app/cli/main.ts in-process; progress is dropped. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    progress: () => ({ update: () => undefined, done: () => undefined }),
  };
  return { io, out, err };
}
