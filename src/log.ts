import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

/**
 * JSON logs (one object per line) for the operator's log shipper. Child loggers carry
 * `logger` (`bot:http`, `bot:wecom`, `bot:dispatch`, `bot:worker`) and per-message ids.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({ level: 'info', ...options })
}

/** A logger that discards everything, for tests and benchmarks. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' })
}
