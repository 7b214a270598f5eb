import { describe, expect, it } from 'vitest';
import { run } from '../../../app/cli/commands/forecast.js';
import type { CliIo } from '../../../app/cli/cli-io.js';
import { UrbanflowError } from '../../../core/errors/index.js';

const DIR = 'fixtures/traffic-obs/los-loop';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), progress: () => ({ update() {}, done() {} }) };
}

describe('urbanflow forecast on los-loop (train days 1-3, test day 4)', () => {
  it('beats persistence at 15, 30 and 60 minutes in MAE and RMSE', async () => {
    const io = capture();
    const status = await run(
      ['--speeds', `${DIR}/los_speed_days1-4.csv`, '--adjacency', `${DIR}/los_adj.csv`, '--train-rows', '864', '--step-minutes', '5', '--horizons', '15,30,60', '--json'],
      io,
    );
    expect(status).toBe(0);
    expect(io.out).toHaveLength(1);
    const doc = JSON.parse(io.out[0]);
    expect(doc.sensors).toBe(207);
    expect(doc.train_rows).toBe(864);
    expect(doc.test_rows).toBe(288);
    expect(doc.horizons.map((h: { minutes: number }) => h.minutes)).toEqual([15, 30, 60]);
    for (const h of doc.horizons) {
      // every (sensor, day-4 step) is scored once per horizon
      expect(h.count).toBe(207 * 288);
      expect(h.mae).toBeLessThan(h.persistence_mae);
      expect(h.rmse).toBeLessThan(h.persistence_rmse);
      expect(h.mae).toBeGreaterThan(0);
    }
    // errors grow with the horizon, for both
    expect(doc.horizons[0].mae).toBeLessThan(doc.horizons[2].mae);
    expect(doc.horizons[0].persistence_mae).toBeLessThan(doc.horizons[2].persistence_mae);
    expect(doc.beats_persistence).toBe(true);
  });

  it('bad arguments and files are INVALID_INPUT / INVALID_FILE', async () => {
    const io = capture();
    await expect(run(['--speeds', `${DIR}/missing.csv`, '--train-rows', '10'], io)).rejects.toMatchObject({ code: 'INVALID_FILE' });
    await expect(run(['--speeds', `${DIR}/los_speed_days1-4.csv`, '--train-rows', '5000'], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'train-rows' });
    await expect(run(['--speeds', `${DIR}/los_speed_days1-4.csv`, '--train-rows', '864', '--horizons', '7'], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'horizons' });
    await expect(run(['--speeds', `${DIR}/los_speed_days1-4.csv`, '--train-rows', '864', '--step-minutes', '7'], io)).rejects.toBeInstanceOf(UrbanflowError);
    await expect(run(['--train-rows', '864'], io)).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'speeds' });
    // adjacency of the wrong size
    await expect(run(['--speeds', `${DIR}/los_speed_days1-4.csv`, '--adjacency', `${DIR}/graph_sensor_locations.csv`, '--train-rows', '864'], io)).rejects.toMatchObject({ code: 'INVALID_FILE' });
  });
});
