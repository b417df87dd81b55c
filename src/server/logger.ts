import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogSettings } from '../config.js';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * The gateway's log: JSON lines (pino) on standard output, one object a line, at LOG_LEVEL (default
 * info); on a terminal the same lines are shown readably instead (LOG_FORMAT=json|pretty overrides).
 */
export function createLogger({ level, format }: LogSettings, fd: 1 | 2 = 1): Logger {
  const output = fd === 1 ? process.stdout : process.stderr;
  format ??= output.isTTY ? 'pretty' : 'json';
  const destination: DestinationStream = format === 'pretty' ? { write: (line) => void output.write(prettyLine(line)) } : pino.destination(fd);
  return pino({ level }, destination);
}

/** A JSON log line as `12:00:00.123 INFO  request key=value …`: a formatter this small needs no dependency. */
export function prettyLine(line: string): string {
  const { level, time, msg, pid: _pid, hostname: _hostname, err, ...fields } = JSON.parse(line) as Record<string, unknown>;
  const clock = new Date(Number(time)).toISOString().slice(11, 23);
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : '';
  return `${clock} ${(LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5)} ${msg ?? ''} ${pairs.join(' ')}`.trimEnd() + `${stack}\n`;
}
