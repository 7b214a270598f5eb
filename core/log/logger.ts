import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured JSON logs on stderr (stdout stays free for CLI output). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'urbanflow'): Logger {
  return pino({ name, level }, pino.destination(2));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
