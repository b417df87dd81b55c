import type { PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';
import { objectLiteralBuilder } from './object-builders.js';

/**
 * Runs one read statement (a `Prisma.sql` template) straight on the driver the Prisma adapter uses,
 * the same pool or embedded database, and returns its rows as objects, typed as $queryRaw's would
 * be: int8 as bigint, json parsed, timestamps as Date. For the read hot path (a page of a timeline
 * and the session it belongs to) only: Prisma's runtime between the driver and us costs more CPU
 * per row than everything else the page needs. Everything else goes through Prisma.
 */
export type ReadRows = <Row>(query: ReadStatement, onRow?: (row: Row) => void) => Promise<Row[]>;

/** A read statement: a `Prisma.Sql`, or its text and values as one was built (see keptStatementTexts). */
export interface ReadStatement {
  readonly text: string;
  readonly values: unknown[];
}
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

type Parse = (text: string) => unknown;
/** A column of a statement's answer as node-postgres describes it (its RowDescription). */
interface Field {
  name: string;
  dataTypeID: number;
  format: string;
}

/** The columns of a prepared statement's answer, and how a row of them is built (objectLiteralBuilder). */
interface RowShape {
  fields: readonly Field[];
  parsers: readonly Parse[];
  build: (values: readonly (string | null)[], parsers: readonly Parse[]) => object;
}

/** Whether a statement's answer has the columns a shape was made for (a prepared statement's always has). */
function fitsShape(shape: RowShape, fields: readonly Field[]): boolean {
  if (shape.fields.length !== fields.length) return false;
  return fields.every((field, n) => {
    const kept = shape.fields[n]!;
    return kept.name === field.name && kept.dataTypeID === field.dataTypeID && kept.format === field.format;
  });
}

/**
 * node-postgres answers int8 as a string; $queryRaw answers a bigint. Each statement text is
 * prepared once per connection (named), so PostgreSQL does not parse and plan it again on every
 * request: the page reader's texts are few (one per page shape), their values parameters.
 */
export function pgRowReader(pool: import('pg').Pool, pg: Pick<typeof import('pg'), 'types' | 'Query' | 'Result'>): ReadRows {
  const timestamptz = timestamptzParser(pg.types.getTypeParser(TIMESTAMPTZ, 'text'));
  const typeParser = (oid: number, format: string): Parse =>
    oid === INT8 ? BigInt : oid === TIMESTAMPTZ && format !== 'binary' ? timestamptz : (pg.types.getTypeParser(oid, format as 'text') as Parse);
  const types = { getTypeParser: typeParser as typeof pg.types.getTypeParser };
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED_STATEMENTS) names.set(text, (name = `gateway_read_${names.size + 1}`));
    return name;
  };

  /** Each prepared statement's row shape, made on its first answer. */
  const shapes = new Map<string, RowShape>();
  const shapeOf = (statement: string, fields: readonly Field[]): RowShape | undefined => {
    const kept = shapes.get(statement);
    if (kept && fitsShape(kept, fields)) return kept;
    if (fields.some((field) => field.format !== 'text')) return undefined;
    const build = objectLiteralBuilder<RowShape['build']>(fields.map((field) => field.name), ['v', 'p'], (n) => `v[${n}] === null ? null : p[${n}](v[${n}])`);
    // A column no object literal can hold (objectLiteralBuilder): node-postgres builds that row.
    if (!build) return undefined;
    const shape: RowShape = { fields, parsers: fields.map((field) => typeParser(field.dataTypeID, field.format)), build };
    shapes.set(statement, shape);
    return shape;
  };

  /**
   * node-postgres' result, its rows built by their statement's shape (objectLiteralBuilder) when it has a
   * name; the rows of another statement are built as node-postgres builds them.
   */
  class ShapedResult extends pg.Result {
    private shape: RowShape | undefined;
    private parsers: readonly Parse[] = [];
    constructor(private readonly statement: string | undefined) {
      super('', types as typeof pg.types);
    }
    addFields(fields: Field[]): void {
      this.shape = this.statement === undefined ? undefined : shapeOf(this.statement, fields);
      if (!this.shape) return (pg.Result.prototype as unknown as ShapedResult).addFields.call(this, fields);
      this.fields = fields as unknown as typeof this.fields;
      this.parsers = this.shape.parsers;
    }
    parseRow(values: (string | null)[]): object {
      return this.shape ? this.shape.build(values, this.parsers) : (pg.Result.prototype as unknown as ShapedResult).parseRow.call(this, values);
    }
  }

  /**
   * A statement whose rows are built as ShapedResult builds them and, when `rowsKept` is false, go
   * to its 'row' listener only. node-postgres keeps them in its result as well when the statement
   * has a callback, which its read timeout (query_timeout) always adds, so that is switched off
   * once the row description has come; were that internal to change, the rows would be kept
   * again, which costs memory, never a row.
   */
  class Statement extends pg.Query {
    constructor(
      config: import('pg').QueryConfig,
      callback: ((error: Error | undefined) => void) | undefined,
      private readonly rowsKept: boolean,
    ) {
      super(config, undefined, callback);
      const internals = this as unknown as { _result: unknown; _results: unknown };
      internals._result = internals._results = new ShapedResult(config.name);
    }
    handleRowDescription(message: unknown): void {
      (pg.Query.prototype as unknown as { handleRowDescription(message: unknown): void }).handleRowDescription.call(this, message);
      if (!this.rowsKept) (this as unknown as { _accumulateRows: boolean })._accumulateRows = false;
    }
  }

  return async <Row>(query: ReadStatement, onRow?: (row: Row) => void) => {
    // Prisma.Sql builds its text anew on every read of `text`.
    const text = query.text;
    const config = { name: nameOf(text), text, values: query.values };
    if (!onRow) return ((await pool.query(new Statement(config, undefined, true) as never)) as { rows: Row[] }).rows;
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
        const statement = new Statement(config, (error: Error | undefined) => (error ? reject(error) : thrown ? reject(thrown.error) : resolve()), false);
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
  return async <Row>(query: ReadStatement, onRow?: (row: Row) => void) => {
    const { rows } = await pglite.query<Row>(query.text, query.values, { parsers });
    if (!onRow) return rows;
    // PGlite answers a statement whole, in one call: its rows are handed on from there.
    for (const row of rows) onRow(row);
    return [];
  };
}
