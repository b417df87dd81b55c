import { GatewayError } from '../errors.js';

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
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new GatewayError('unavailable', `${where} is not reachable (${code}): start it, or fix the host and port in DATABASE_URL`);
    default:
      return new GatewayError('unavailable', `${where} could not be used: ${message ?? String(error)}`);
  }
}
