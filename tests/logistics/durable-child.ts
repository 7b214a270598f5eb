/**
 * Child process for the durability test: opens the embedded store in argv[2], accepts orders one after another
 * and prints "ack <id>" only after createOrder resolved (= durable). The parent SIGKILLs it mid-stream.
 */
import { createEmbeddedStore } from '../../core/store/index.js';
import { createMemoryBus } from '../../core/bus/index.js';
import { manualClock } from '../../core/clock/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createLogisticsService } from '../../services/logistics/index.js';
import { gridNetwork } from '../helpers/grid-network.js';
import { haversineMatrix } from './haversine-matrix.js';

const dir = process.argv[2];
const network = gridNetwork(3);
const store = await createEmbeddedStore({ dir });
const service = createLogisticsService({
  network, live: network.live, bus: createMemoryBus(), store, clock: manualClock(Date.UTC(2026, 10, 23, 7)), logger: silentLogger(),
  travelMatrix: haversineMatrix(),
  config: { optimizeOnOrder: false },
  fleet: {
    hubs: [{ id: 'H1', location: [8.47, 49.49] }],
    vehicles: [{ id: 'V1', hubId: 'H1', capacity: { kg: 1000 }, shift: [Date.UTC(2026, 10, 23, 6), Date.UTC(2026, 10, 23, 18)] }],
  },
});
await service.start({ schedules: false });
process.stdout.write('ready\n');
for (let k = 0; ; k++) {
  const o = await service.createOrder({
    id: `d${k}`,
    shipper: 'durable',
    pickup: { hubId: 'H1' },
    delivery: { location: [8.47 + (k % 50) * 0.001, 49.49 + Math.floor(k / 50) * 0.001], windows: [[Date.UTC(2026, 10, 23, 9), Date.UTC(2026, 10, 23, 17)]] },
    size: { kg: 5 },
  });
  process.stdout.write(`ack ${o.id}\n`);
}
