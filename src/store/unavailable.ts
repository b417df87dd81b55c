import { GatewayError } from '../errors.js';
import type { Prisma, PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';
import type { PrismaClient, ReadRows } from './rows.js';
import { UNREACHABLE_SOCKET_CODES } from './connection-errors.js';

/** How long a client is told to wait before retrying while the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Prisma's codes for "could not reach / lost / timed out waiting for the database".
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
// The driver adapter's kinds for the same, under the error's meta.
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// SQLSTATE: statement timeout or cancel, server shutting down or starting, connection exceptions
// (not 08P01, a protocol violation: a fault of the statement sent, not of the server).
const UNAVAILABLE_SQLSTATE = /^(57014|57P0[1-4]|0800[0134]|08006|53300)$/;
// What node-postgres says, untranslated, when a connection cannot be had or dies under a query.
const DRIVER_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|ECONNREFUSED|ECONNRESET/;

interface DriverFault {
  /** Prisma's code, or the driver's SQLSTATE (a statement run by the row reader). */
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } };
}

/** Whether an error means the database is down, unreachable or not answering in time (as opposed to a bad statement). */
function isUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, meta } = error as DriverFault;
  const cause = meta?.driverAdapterError?.cause;
  // The row reader's errors come from the driver as they are: a SQLSTATE, or Node's code for a socket that failed.
  if (typeof code === 'string' && (UNREACHABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code) || UNREACHABLE_SOCKET_CODES.has(code))) return true;
  if (cause?.kind && UNREACHABLE_ADAPTER_KINDS.has(cause.kind)) return true;
  if (UNAVAILABLE_SQLSTATE.test(cause?.originalCode ?? cause?.code ?? '')) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.test(message);
}

/** A database fault as the domain error every surface answers with 503 and Retry-After; any other error as it was. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof GatewayError || !isUnavailable(error)) return error;
  return new GatewayError('unavailable', 'The database is not answering; retry shortly', DATABASE_RETRY_AFTER_SECONDS);
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
  const $readRows: ReadRows = <Row>(query: Prisma.Sql) =>
    readRows<Row>(query).catch((error: unknown) => {
      throw asStoreError(error);
    });
  return new Proxy(prisma, {
    get: (_target, property) => (property === '$transaction' ? transaction : property === '$readRows' ? $readRows : Reflect.get(extended, property)),
  }) as PrismaClient;
}
