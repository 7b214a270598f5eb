import type { CliIo } from '../cli-io.js';
import { parseCliArgs, numberOption } from '../cli-io.js';
import { loadConfig } from '../../../core/config/index.js';
import { startUrbanflow } from '../../compose.js';

/** urbanflow serve [--graph FILE] [--port P] [--config FILE]: run everything until SIGTERM/SIGINT. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    graph: { type: 'string' },
    gtfs: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout('usage: urbanflow serve [--graph FILE.graph] [--gtfs FEED.zip] [--port P] [--config FILE.json]\nenvironment: PORT, HOST, REDIS_URL, URBANFLOW_TOKEN_SECRET, URBANFLOW_GRAPH, URBANFLOW_GTFS, URBANFLOW_DATA_DIR, LOG_LEVEL, URBANFLOW_CONFIG');
    return 0;
  }
  const overrides: Record<string, unknown> = {};
  if (values.graph) overrides.graph = values.graph;
  if (values.gtfs) overrides.gtfs = values.gtfs;
  if (values.port !== undefined) overrides.port = numberOption(values.port, 'port');
  const config = loadConfig({ file: values.config, overrides });
  const app = await startUrbanflow({ config });
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      app.logger.info({ signal }, 'shutting down');
      app.stop().then(resolve, (e) => {
        app.logger.error({ err: e }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}
