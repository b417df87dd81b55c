import { afterAll, beforeAll, expect, it } from 'vitest';
import { Prisma } from '../src/store/generated/prisma/client.js';
import { openDatabase } from '../src/store/database.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';

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
