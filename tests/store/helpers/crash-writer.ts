// Child process for the SIGKILL test: writes as fast as it can, several writes in flight at
// once, and prints the id of every write the store acknowledged.
import { createEmbeddedStore } from '../../../core/store/index.js';

const dir = process.argv[2];
const store = await createEmbeddedStore({ dir, compactBytes: 32 * 1024 });
let n = 0;
async function writer(lane: number) {
  for (;;) {
    const id = `o${lane}-${n++}`;
    if (n % 3 === 0) {
      const seq = await store.append('audit', { id });
      process.stdout.write(`log ${id} ${seq}\n`);
    } else {
      await store.put('orders', id, { id, payload: 'x'.repeat(100) });
      process.stdout.write(`put ${id}\n`);
    }
  }
}
await Promise.all([0, 1, 2, 3].map(writer));
