import { afterAll, beforeAll, expect, it } from 'vitest';
import { Prisma } from '../src/store/generated/prisma/client.js';
import pg from 'pg';
import { openDatabase } from '../src/store/database.js';
import { timestamptzParser } from '../src/store/rows.js';
import { openDatabaseInTimeZone, openTestDatabase, type TestDatabase } from './support/database.js';

// The store's row reader handing rows on one by one (what the analytics stream reads through), on
// the driver the tests run with: PGlite, or pg when DATABASE_URL is set.

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

const numbers = (count: number) => Prisma.sql`SELECT n, 'row ' || n AS label, n::bigint AS big FROM generate_series(1, ${count}::int) AS n ORDER BY n`;

it('hands every row to onRow in order, decoded as $readRows decodes them, and keeps none', async () => {
  const seen: { n: number; label: string; big: bigint }[] = [];
  const kept = await db.prisma.$readRows<{ n: number; label: string; big: bigint }>(numbers(5000), (row) => seen.push(row));
  expect(kept).toEqual([]);
  expect(seen).toHaveLength(5000);
  expect(seen[0]).toEqual({ n: 1, label: 'row 1', big: 1n });
  expect(seen.map((row) => row.n)).toEqual(Array.from({ length: 5000 }, (_, n) => n + 1));
  expect(seen).toEqual(await db.prisma.$readRows(numbers(5000)));
});

it('fails the read with what onRow throws, hands it no more rows, and the next read is served', async () => {
  let handed = 0;
  const read = db.prisma.$readRows<{ n: number }>(numbers(1000), (row) => {
    handed++;
    if (row.n === 10) throw new Error('no more, thanks');
  });
  await expect(read).rejects.toThrow('no more, thanks');
  expect(handed).toBe(10);
  expect(await db.prisma.$readRows(Prisma.sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
});

// The timeouts `serve` opens PostgreSQL with by default (DATABASE_STATEMENT_TIMEOUT_MS=5000): the
// driver's read timeout then gives every statement a callback of its own, which node-postgres
// hands a statement's error to instead of its 'error' event.
it.runIf(process.env.DATABASE_URL)('fails the read when the statement fails mid-answer, with the driver read timeout set, and the next read is served', async () => {
  const withTimeouts = await openDatabase({ url: db.url!, migrate: false, timeouts: { connectMs: 3000, statementMs: 5000 } });
  try {
    let handed = 0;
    // Rows 1 to 9 come, then row 10 divides by zero.
    const failing = Prisma.sql`SELECT n, 1 / (10 - n) AS inverse FROM generate_series(1, 1000) AS n`;
    const read = withTimeouts.prisma.$readRows<{ n: number }>(failing, () => void handed++);
    const settled = await Promise.race([read.then(() => 'read', (error: Error) => error.message), new Promise((resolve) => setTimeout(resolve, 3000, 'still waiting'))]);
    expect(settled).toMatch(/division by zero/);
    expect(await withTimeouts.prisma.$readRows(Prisma.sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  } finally {
    await withTimeouts.close();
  }
});

// Timestamps as the PostgreSQL driver's rows carry them: read by position (timestamptzParser), they
// must be the instants PostgreSQL holds, in whatever time zone the connection writes them.
it.runIf(process.env.DATABASE_URL)('reads timestamptz values as the instants PostgreSQL holds, in any time zone and precision', async () => {
  const instants = Prisma.sql`
    SELECT t AS at, floor(extract(epoch FROM t) * 1000)::float8 AS ms FROM unnest(ARRAY[
      '2025-01-01 00:00:01+00', '2025-06-30 23:59:59.999+00', '1999-12-31 23:59:59.5+00', '2024-02-29 12:00:00.123456+00',
      '1970-01-01 00:00:00+00', '1969-07-20 20:17:40.1+00', '0101-03-01 00:00:00+00', '9999-12-31 23:59:59.999+00'
    ]::timestamptz[]) AS t`;
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Monrovia']) {
    const database = await openDatabaseInTimeZone(db.url!, zone);
    try {
      expect(await database.prisma.$readRows(Prisma.sql`SELECT current_setting('TimeZone') AS zone`)).toEqual([{ zone }]);
      const rows = await database.prisma.$readRows<{ at: Date; ms: number }>(instants);
      expect(rows).toHaveLength(8);
      for (const row of rows) expect([zone, row.at.getTime()]).toEqual([zone, row.ms]);
    } finally {
      await database.close();
    }
  }
});

it("reads by position what node-postgres' own parser reads, and hands anything else to it", async () => {
  const postgresDate = pg.types.getTypeParser(1184, 'text');
  const parse = timestamptzParser(postgresDate);
  const texts = ['2025-01-01 00:00:01+00', '2025-01-01 05:30:01.5+05:30', '2025-01-01 00:00:01.123-03:30', '1883-11-18 12:03:58+00:03:58', '2025-01-01 00:00:01+14'];
  // Fractions, offsets east and west, minutes and seconds of offset: random instants written as PostgreSQL writes them.
  for (let n = 0; n < 2000; n++) {
    const at = new Date(Date.UTC(100 + Math.floor(Math.random() * 9800), 0, 1) + Math.floor(Math.random() * 365 * 86_400_000));
    const offsetMinutes = Math.floor(Math.random() * 27 * 60) - 12 * 60;
    const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().replace('T', ' ').replace('Z', '');
    const fraction = ['', '.5', '.25', '.123', '.000001'][n % 5]!;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
    const minutes = Math.abs(offsetMinutes) % 60;
    texts.push(`${local.slice(0, 19)}${fraction}${sign}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`);
  }
  const others = ['infinity', '-infinity', '2025-01-01 00:00:01+00 BC', '0099-01-01 00:00:00+00', '12025-01-01 00:00:00+00', '2025-01-01'];
  for (const text of [...texts, ...others]) expect([text, parse(text)]).toEqual([text, postgresDate(text)]);
  // What the positions cannot read goes to the fallback, whatever it is.
  const fallback = (text: string) => `fallback: ${text}`;
  for (const text of others) expect(timestamptzParser(fallback)(text)).toBe(`fallback: ${text}`);
});

// Rows of a prepared statement are built by a function made for its columns (rows.ts, rowBuilder):
// they must be what node-postgres' own row builder makes of the same answer, whatever the columns.
it.runIf(process.env.DATABASE_URL)("builds each row of a prepared statement as node-postgres' own builder does", async () => {
  const statement = Prisma.sql`
    SELECT n, n::bigint AS big, CASE WHEN n % 2 = 0 THEN NULL ELSE 'odd ' || n END AS label, 'x' AS "a""quote", 'y' AS "a b",
           json_build_object('n', n) AS doc, (TIMESTAMPTZ '2025-01-01 00:00:00+00' + n * INTERVAL '1 second') AS at,
           n * 2 AS twice, 'first' AS dup, 'second' AS dup, n::numeric / 3 AS third
    FROM generate_series(1, ${50}::int) AS n ORDER BY n`;
  // The same answer as node-postgres builds it, with the store's type parsers (int8 as bigint).
  const client = new pg.Client({ connectionString: db.url! });
  await client.connect();
  try {
    const types = { getTypeParser: (oid: number, format?: string) => (oid === 20 ? BigInt : pg.types.getTypeParser(oid, (format ?? 'text') as 'text')) };
    const { rows: expected } = await client.query<Record<string, unknown>>({ text: statement.text, values: statement.values, types } as pg.QueryConfig);
    // Read twice: the first answer makes the statement's row builder, the second is built by it.
    for (let read = 0; read < 2; read++) {
      const rows = await db.prisma.$readRows<Record<string, unknown>>(statement);
      expect(rows).toEqual(expected);
      expect(rows.map((row) => Object.keys(row))).toEqual(expected.map((row) => Object.keys(row)));
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
      expect(rows[1]).toMatchObject({ n: 2, big: 2n, label: null, 'a"quote': 'x', 'a b': 'y', doc: { n: 2 }, dup: 'second' });
    }
    // A column named __proto__ would set the prototype in an object literal: that statement's rows are node-postgres'.
    const proto = Prisma.sql`SELECT 1 AS "__proto__", 2 AS n`;
    const { rows: protoExpected } = await client.query({ text: proto.text, types } as pg.QueryConfig);
    for (let read = 0; read < 2; read++) expect(await db.prisma.$readRows(proto)).toEqual(protoExpected);
  } finally {
    await client.end();
  }
});
