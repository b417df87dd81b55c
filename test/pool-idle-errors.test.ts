import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './support/database.js';

// A connection the server ends while it sits idle in the gateway's pool, as when PostgreSQL
// restarts or is stopped while the gateway closes: the pool drops it, and the process goes on.
// The pool throws such an error out of nowhere when nothing listens to it, and Prisma's adapter
// stops listening once it disconnects, before the pool ends (a fault seen once in CI, with no test
// named, while a test stopped its private PostgreSQL).

let db: TestDatabase | undefined;

afterAll(async () => {
  await db?.close();
});

it.skipIf(!process.env.DATABASE_URL)('an idle connection ended by the server while the gateway closes does not end the process', async () => {
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', record);
  try {
    db = await openTestDatabase();
    await db.prisma.$queryRaw`SELECT 1`;
    // What closing does first: Prisma's adapter lets the pool go.
    await db.prisma.$disconnect();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await admin.end();
    expect(rowCount).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(uncaught).toEqual([]);
  } finally {
    process.off('uncaughtException', record);
  }
});
