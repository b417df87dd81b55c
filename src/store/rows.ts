import type { Prisma, PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';

/**
 * Runs one read statement (a `Prisma.sql` template) straight on the driver the Prisma adapter uses,
 * the same pool or embedded database, and returns its rows as objects, typed as $queryRaw's would
 * be: int8 as bigint, json parsed, timestamps as Date. For the read hot path (a page of a timeline
 * and the session it belongs to) only: Prisma's runtime between the driver and us costs more CPU
 * per row than everything else the page needs. Everything else goes through Prisma.
 */
export type ReadRows = <Row>(query: Prisma.Sql, onRow?: (row: Row) => void) => Promise<Row[]>;
// With `onRow`, each row is handed to it as it is decoded, and none is kept: the answer is empty.
// A bulk reader that turns each row into something smaller at once (the analytics stream) then
// never holds the rows of a whole statement, which would otherwise live across the socket reads
// its answer takes and be promoted by the garbage collector before they die.

/** The store's database client: Prisma's, plus the row reader of its own driver. */
export type PrismaClient = GeneratedPrismaClient & { readonly $readRows: ReadRows };

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const DIGIT_0 = 48;

/**
 * A timestamptz as PostgreSQL writes it in its ISO style, 'YYYY-MM-DD HH:MM:SS[.fff…]±HH[:MM[:SS]]',
 * read by position: node-postgres' own parser (postgres-date) runs three regular expressions on
 * each, which a page of timestamps shows in a profile. Anything else (BC dates, infinity, years
 * before 100 or after 9999, another DateStyle) is read by `fallback`, node-postgres' parser.
 */
export function timestamptzParser(fallback: (text: string) => unknown): (text: string) => unknown {
  // Positions of the fixed part, 'YYYY-MM-DD HH:MM:SS'; no closure is made per value (a page reads dozens).
  return (text) => {
    const n = text.length;
    if (n < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return fallback(text);
    const year = digitsAt(text, 0, 4);
    let at = 19;
    let ms = 0;
    if (text.charCodeAt(at) === 46) {
      for (let scale = 100; ++at < n; scale /= 10) {
        const digit = text.charCodeAt(at) - DIGIT_0;
        if (!(digit >= 0 && digit <= 9)) break;
        ms += digit * scale;
      }
    }
    const signCode = text.charCodeAt(at);
    const sign = signCode === 43 ? 1 : signCode === 45 ? -1 : NaN;
    let offsetSeconds = digitsAt(text, at + 1, 2) * 3600;
    at += 3;
    if (text.charCodeAt(at) === 58) {
      offsetSeconds += digitsAt(text, at + 1, 2) * 60;
      at += 3;
      if (text.charCodeAt(at) === 58) {
        offsetSeconds += digitsAt(text, at + 1, 2);
        at += 3;
      }
    }
    const local = Date.UTC(year, digitsAt(text, 5, 2) - 1, digitsAt(text, 8, 2), digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2), ms);
    const time = local - sign * offsetSeconds * 1000;
    if (at !== n || year < 100 || Number.isNaN(time)) return fallback(text);
    return new Date(time);
  };
}

/** The number written by the `count` digits of `text` from `at`; NaN when one of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let end = at + count; at < end; at++) {
    const digit = text.charCodeAt(at) - DIGIT_0;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** How many statement texts are kept prepared on each connection; texts beyond these run unprepared. */
const MAX_PREPARED_STATEMENTS = 64;

/**
 * node-postgres answers int8 as a string; $queryRaw answers a bigint. Each statement text is
 * prepared once per connection (named), so PostgreSQL does not parse and plan it again on every
 * request: the page reader's texts are few (one per page shape), their values parameters.
 */
export function pgRowReader(pool: import('pg').Pool, pgTypes: typeof import('pg').types, Query: typeof import('pg').Query): ReadRows {
  const timestamptz = timestamptzParser(pgTypes.getTypeParser(TIMESTAMPTZ, 'text'));
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? BigInt : oid === TIMESTAMPTZ && format !== 'binary' ? timestamptz : pgTypes.getTypeParser(oid, format ?? 'text')) as typeof pgTypes.getTypeParser,
  };
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED_STATEMENTS) names.set(text, (name = `gateway_read_${names.size + 1}`));
    return name;
  };
  /**
   * A statement whose rows go to its 'row' listener only. node-postgres keeps them in its result as
   * well when the statement has a callback, which its read timeout (query_timeout) always adds, so
   * that is switched off once the row description has come; were that internal to change, the rows
   * would be kept again, which costs memory, never a row.
   */
  class RowsNotKept extends Query {
    handleRowDescription(message: unknown): void {
      (Query.prototype as unknown as { handleRowDescription(message: unknown): void }).handleRowDescription.call(this, message);
      (this as unknown as { _accumulateRows: boolean })._accumulateRows = false;
    }
  }
  return async <Row>(query: Prisma.Sql, onRow?: (row: Row) => void) => {
    // Prisma.Sql builds its text anew on every read of `text`.
    const text = query.text;
    const config = { name: nameOf(text), text, values: query.values, types };
    if (!onRow) return (await pool.query(config)).rows as Row[];
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        // What `onRow` throws fails the read once the statement has ended, not the driver's parsing of its answer.
        let thrown: { error: unknown } | undefined;
        const handOn = (row: Row) => {
          if (thrown) return;
          try {
            onRow(row);
          } catch (error) {
            thrown = { error };
          }
        };
        // The statement's end and its failure come through its callback: with a read timeout
        // (query_timeout) the driver wraps the callback and hands errors only to it, never to the
        // 'error' event, so a statement failing mid-answer would otherwise leave the read waiting
        // and its connection out of the pool for good.
        const statement = new RowsNotKept(config, undefined, (error: Error | undefined) => (error ? reject(error) : thrown ? reject(thrown.error) : resolve()));
        client.query(statement.on('row', handOn as (row: unknown) => void));
      });
      return [];
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      // A connection whose statement failed is closed rather than pooled: its state is unknown.
      client.release(failure);
    }
  };
}

/** PGlite answers int8 as a number; $queryRaw answers a bigint. */
export function pgliteRowReader(pglite: import('@electric-sql/pglite').PGlite): ReadRows {
  const parsers = { [INT8]: (value: string) => BigInt(value) };
  return async <Row>(query: Prisma.Sql, onRow?: (row: Row) => void) => {
    const { rows } = await pglite.query<Row>(query.text, query.values, { parsers });
    if (!onRow) return rows;
    // PGlite answers a statement whole, in one call: its rows are handed on from there.
    for (const row of rows) onRow(row);
    return [];
  };
}
