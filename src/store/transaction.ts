import { setTimeout as sleep } from 'node:timers/promises';
import type { Prisma } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { GatewayError } from '../errors.js';

/**
 * A transaction in progress: what a store function is handed to join a unit of work someone else
 * opened (an import runs a whole file in one). A class of our own, so "am I inside a transaction?"
 * is answered by what the caller passed, never by guessing the database client's class.
 */
export class Transaction {
  /** @internal Only `inTransaction` opens one. */
  constructor(readonly client: Prisma.TransactionClient) {}
}

/** Where a write runs: the database client (the write opens its own transaction) or a transaction to join. */
export type Db = PrismaClient | Transaction;

export interface TransactionOptions {
  /** How many times to run the work in all when the database refuses it for a race; 1 for work that cannot be replayed (a streamed file). */
  attempts?: number;
  /** How long the work may run once started, in milliseconds. */
  timeout?: number;
  /**
   * Also run the work again when a unique constraint refuses it: right where the work checks first
   * and inserts when it found nothing (creating a session), so that a racing identical insert is
   * found on the next attempt. Off by default: elsewhere a unique violation is a fault to report.
   */
  retryUniqueViolations?: boolean;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_TIMEOUT = 60_000;

/** PostgreSQL's answers to a race that a fresh attempt resolves: a deadlock and a serialization failure. */
const RACE_CODES = new Set(['40P01', '40001']);
const UNIQUE_VIOLATION = '23505';

function raceCode(error: unknown, options: TransactionOptions): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } })?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return code && (RACE_CODES.has(code) || (options.retryUniqueViolations && code === UNIQUE_VIOLATION)) ? code : undefined;
}

/**
 * Runs `work` as one unit: all of it is stored or none of it. Given the client, it opens an
 * interactive transaction and, when the database refuses it for a race (a deadlock, a
 * serialization failure, if asked a racing identical insert), runs it again a bounded number of
 * times, after a short random pause so racers do not collide again. Given a transaction, the work
 * joins it and the transaction's owner decides about retries.
 */
export async function inTransaction<T>(db: Db, work: (transaction: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if (db instanceof Transaction) return work(db);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((client) => work(new Transaction(client)), { timeout, maxWait: DEFAULT_TIMEOUT });
    } catch (error) {
      const code = raceCode(error, options);
      if (!code) throw error;
      if (attempt >= attempts) {
        throw new GatewayError('unavailable', `The write kept colliding with concurrent writes (${code}); try again`, 1);
      }
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}
