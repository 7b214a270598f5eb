import cron, { type ScheduledTask } from 'node-cron';
import { UrbanflowError } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/index.js';
import type { TrafficConfig } from './config.js';

export type TrafficJob = 'estimation' | 'assignment' | 'forecast';
export const TRAFFIC_JOBS: readonly TrafficJob[] = ['estimation', 'assignment', 'forecast'];

/**
 * The service's periodic jobs on node-cron. Each job can also be run by hand (tick), which is
 * what tests do: they never wait on cron. A job never overlaps itself: a run still going when
 * the next is due is skipped (noOverlap), and a manual run waits for a scheduled one in flight.
 */
export class TrafficSchedules {
  private tasks: ScheduledTask[] = [];
  private readonly running = new Map<TrafficJob, Promise<unknown>>();

  constructor(
    private readonly cfg: TrafficConfig['schedules'],
    private readonly jobs: Record<TrafficJob, () => Promise<unknown>>,
    private readonly logger: Logger,
  ) {
    for (const job of TRAFFIC_JOBS) {
      const expr = cfg[job];
      if (expr && !cron.validate(expr)) {
        throw new UrbanflowError('CONFIG', `traffic schedule '${job}' is not a valid cron expression: '${expr}'`, { field: `traffic.schedules.${job}` });
      }
    }
  }

  get started(): boolean {
    return this.tasks.length > 0;
  }

  start(): void {
    if (this.tasks.length > 0 || !this.cfg.enabled) return;
    for (const job of TRAFFIC_JOBS) {
      const expr = this.cfg[job];
      if (!expr) continue;
      const task = cron.schedule(
        expr,
        async () => {
          try {
            await this.run(job);
          } catch (e) {
            this.logger.error({ err: e, job }, 'traffic job failed');
          }
        },
        { name: `traffic:${job}`, noOverlap: true },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    const tasks = this.tasks;
    this.tasks = [];
    for (const t of tasks) await t.destroy();
    await Promise.allSettled([...this.running.values()]);
  }

  /** run one job now (after any run of it still in flight) */
  async run(job: TrafficJob): Promise<unknown> {
    const prev = this.running.get(job);
    if (prev) await prev.catch(() => undefined);
    const p = this.jobs[job]();
    this.running.set(job, p);
    try {
      return await p;
    } finally {
      if (this.running.get(job) === p) this.running.delete(job);
    }
  }
}
