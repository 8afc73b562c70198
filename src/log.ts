/**
 * JSON-lines logger with fixed keys. One line per call; the writer is
 * injected so tests can capture lines and the CLI can send them to stderr.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields a log line may carry besides `level`, `msg` and `time`. */
export interface LogFields {
  callId?: string | undefined;
  eventId?: string | undefined;
  instanceId?: string | undefined;
  outcome?: string | undefined;
  durationMs?: number | undefined;
  apiCalls?: number | undefined;
  [key: string]: unknown;
}

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` as well. */
  child(fields: LogFields): Logger;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Creates a logger that writes one JSON object per line through `write`. */
export function createJsonLogger(write: (line: string) => void, minLevel: LogLevel = 'info', base: LogFields = {}): Logger {
  return {
    log(level, msg, fields) {
      if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
      const line: Record<string, unknown> = { level, msg, time: new Date().toISOString(), ...base, ...fields };
      for (const key of Object.keys(line)) if (line[key] === undefined) delete line[key];
      write(JSON.stringify(line));
    },
    child(fields) {
      return createJsonLogger(write, minLevel, { ...base, ...fields });
    },
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  log() {},
  child() {
    return silentLogger;
  },
};
