import type { EventBus } from '../../../core/bus/event-bus.js';
import type { PlanOption, TransitAlert, TransitApi } from '../../../core/contracts/routing-transit.js';

/**
 * Live guidance glue for transit travellers: each watched journey is re-checked whenever realtime
 * data arrives ('gtfs:realtime' on the bus) and the listener hears 'guidance:transit-alert' payloads
 * once per new problem (the same broken leg and reason is not repeated). The socket layer opens a
 * watch per guided traveller and closes it when the session ends.
 */
export interface TransitWatch {
  watch(option: PlanOption, listener: (alert: TransitAlert) => void): { check(now?: number): TransitAlert | null; close(): void };
  readonly size: number;
  close(): void;
}

export function createTransitWatch(api: Pick<TransitApi, 'checkJourney'>, bus: Pick<EventBus, 'subscribe'>, clock: { now(): number } = { now: () => Date.now() }): TransitWatch {
  const watches = new Set<{ run(now: number): TransitAlert | null }>();
  const unsubscribe = bus.subscribe('gtfs:realtime', () => {
    const now = clock.now();
    for (const w of watches) w.run(now);
  });
  return {
    watch(option, listener) {
      let last = '';
      const entry = {
        run(now: number): TransitAlert | null {
          const alert = api.checkJourney(option, now);
          const key = alert ? `${alert.brokenLeg}:${alert.reason}` : '';
          if (alert && key !== last) listener(alert);
          last = key;
          return alert;
        },
      };
      watches.add(entry);
      return { check: (now = clock.now()) => entry.run(now), close: () => watches.delete(entry) };
    },
    get size() {
      return watches.size;
    },
    close() {
      watches.clear();
      unsubscribe();
    },
  };
}
