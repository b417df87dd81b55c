import { GatewayError } from '../errors.js';

/** Node's codes for a database host that cannot be reached at all (as opposed to one that answered no). */
export const UNREACHABLE_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Why PostgreSQL could not be used, in words that say what to do. The database is tried once on
 * open, so that a wrong DATABASE_URL is one line, not the stack of whichever driver met it first.
 */
export function postgresConnectionError(error: unknown, url: URL): GatewayError {
  const { code, message } = error as { code?: string; message?: string };
  const database = decodeURIComponent(url.pathname.slice(1)) || url.username || 'postgres';
  const where = `PostgreSQL at ${url.host}`;
  switch (code) {
    case '3D000':
      return new GatewayError('invalid_configuration', `The database "${database}" does not exist on ${where}: create it (createdb ${database}), or name another in DATABASE_URL`);
    case '28P01':
    case '28000':
      return new GatewayError('invalid_configuration', `${where} refused the user "${url.username || 'default'}" (${message}): fix the user or password in DATABASE_URL`);
    default:
      if (code && UNREACHABLE_SOCKET_CODES.has(code)) {
        return new GatewayError('unavailable', `${where} is not reachable (${code}): start it, or fix the host and port in DATABASE_URL`);
      }
      return new GatewayError('unavailable', `${where} could not be used: ${message ?? String(error)}`);
  }
}
