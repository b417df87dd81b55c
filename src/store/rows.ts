import type { Prisma, PrismaClient as GeneratedPrismaClient } from './generated/prisma/client.js';

/**
 * Runs one read statement (a `Prisma.sql` template) straight on the driver the Prisma adapter uses,
 * the same pool or embedded database, and returns its rows as objects, typed as $queryRaw's would
 * be: int8 as bigint, json parsed, timestamps as Date. For the read hot path (a page of a timeline
 * and the session it belongs to) only: Prisma's runtime between the driver and us costs more CPU
 * per row than everything else the page needs. Everything else goes through Prisma.
 */
export type ReadRows = <Row>(query: Prisma.Sql) => Promise<Row[]>;

/** The store's database client: Prisma's, plus the row reader of its own driver. */
export type PrismaClient = GeneratedPrismaClient & { readonly $readRows: ReadRows };

const INT8 = 20;

/** How many statement texts are kept prepared on each connection; texts beyond these run unprepared. */
const MAX_PREPARED_STATEMENTS = 64;

/**
 * node-postgres answers int8 as a string; $queryRaw answers a bigint. Each statement text is
 * prepared once per connection (named), so PostgreSQL does not parse and plan it again on every
 * request: the page reader's texts are few (one per page shape), their values parameters.
 */
export function pgRowReader(pool: import('pg').Pool, pgTypes: typeof import('pg').types): ReadRows {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? BigInt : pgTypes.getTypeParser(oid, format ?? 'text'))) as typeof pgTypes.getTypeParser,
  };
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED_STATEMENTS) names.set(text, (name = `gateway_read_${names.size + 1}`));
    return name;
  };
  return async <Row>(query: Prisma.Sql) => (await pool.query({ name: nameOf(query.text), text: query.text, values: query.values, types })).rows as Row[];
}

/** PGlite answers int8 as a number; $queryRaw answers a bigint. */
export function pgliteRowReader(pglite: import('@electric-sql/pglite').PGlite): ReadRows {
  const parsers = { [INT8]: (value: string) => BigInt(value) };
  return async <Row>(query: Prisma.Sql) => (await pglite.query<Row>(query.text, query.values, { parsers })).rows;
}
