import { GatewayError } from '../errors.js';
import type { PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';
import type { PrismaClient, ReadRows, ReadStatement } from './rows.js';
import { UNREACHABLE_SOCKET_CODES } from './connection-errors.js';

/** How long a client is told to wait before retrying while the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Prisma's codes for "could not reach / lost / timed out waiting for the database".
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
// The driver adapter's kinds for the same, under the error's meta.
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// What node-postgres says, untranslated, when a connection cannot be had or dies under a query.
const DRIVER_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|ECONNREFUSED|ECONNRESET/;

/**
 * SQLSTATEs that are the database's state rather than the statement's fault, and pass: what to
 * tell the client. Statement timeout or cancel, a server shutting down, starting or ending idle
 * sessions, and connection exceptions (not 08P01, a protocol violation: a fault of the statement
 * sent); class 53, out of disk, memory or connections; and a database that takes no writes now
 * (turned read-only, or a standby).
 */
const NOT_ANSWERING = 'The database is not answering';
const UNAVAILABLE_SQLSTATES: [RegExp, string][] = [
  [/^(57014|57P0[1-5]|0800[0134]|08006)$/, NOT_ANSWERING],
  [/^53[0-3]00$/, 'The database is out of resources (disk, memory or connections)'],
  [/^25006$/, 'The database refuses writes for now (it is read-only)'],
];

interface DriverFault {
  /** Prisma's code, or the driver's SQLSTATE (a statement run by the row reader). */
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } };
}

/**
 * Why the database cannot serve this now (down, unreachable, not answering in time, out of
 * resources, refusing writes), or undefined when the error is not the database's state (a bad statement).
 */
function unavailableBecause(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, message, meta } = error as DriverFault;
  const cause = meta?.driverAdapterError?.cause;
  // The row reader's errors come from the driver as they are: a SQLSTATE, or Node's code for a socket that failed.
  const sqlstate = cause?.originalCode ?? cause?.code ?? (typeof code === 'string' ? code : '');
  const known = UNAVAILABLE_SQLSTATES.find(([codes]) => codes.test(sqlstate));
  if (known) return known[1];
  if (typeof code === 'string' && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_SOCKET_CODES.has(code))) return NOT_ANSWERING;
  if (cause?.kind && UNREACHABLE_ADAPTER_KINDS.has(cause.kind)) return NOT_ANSWERING;
  return typeof message === 'string' && DRIVER_MESSAGES.test(message) ? NOT_ANSWERING : undefined;
}

/** A database fault as the domain error every surface answers with 503 and Retry-After; any other error as it was. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const because = unavailableBecause(error);
  return because ? new GatewayError('unavailable', `${because}; retry shortly`, DATABASE_RETRY_AFTER_SECONDS) : error;
}

/**
 * The store's client: Prisma's with every operation's database faults raised as `unavailable` (each
 * model query and raw statement, inside transactions too, and a transaction that cannot start), and
 * the row reader's likewise.
 */
export function withUnavailableErrors(prisma: GeneratedPrismaClient, readRows: ReadRows): PrismaClient {
  const extended = prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          throw asStoreError(error);
        }
      },
    },
  });
  const transaction = (...args: unknown[]) =>
    (extended.$transaction as (...args: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
      throw asStoreError(error);
    });
  const $readRows: ReadRows = <Row>(query: ReadStatement, onRow?: (row: Row) => void) =>
    readRows<Row>(query, onRow).catch((error: unknown) => {
      throw asStoreError(error);
    });
  return new Proxy(prisma, {
    get: (_target, property) => (property === '$transaction' ? transaction : property === '$readRows' ? $readRows : Reflect.get(extended, property)),
  }) as PrismaClient;
}
