import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.js';

export interface TestDatabase extends Database {
  /** Every SQL statement sent so far, in order; tests clear it and count. */
  statements: string[];
  /** The PostgreSQL URL of this database (undefined on PGlite), for a gateway process of its own. */
  url?: string;
}

/**
 * A fresh, migrated database for one test file: embedded PGlite (in memory unless a data directory
 * is given), or, when DATABASE_URL is set, a throwaway PostgreSQL database created next to it and
 * dropped afterwards.
 */
export async function openTestDatabase(dataDir = 'memory://'): Promise<TestDatabase> {
  const statements: string[] = [];
  const base = process.env.DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir, onStatement: (sql) => statements.push(sql) });
    return { ...database, statements };
  }
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(base, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), onStatement: (sql) => statements.push(sql) });
  return {
    ...database,
    statements,
    url: url.toString(),
    async close() {
      await database.close();
      await withAdminClient(base, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Settings the test database's sessions start with, as a database an operator set to them gives
 * them: the database's defaults on PostgreSQL (connections opened after this have them, so open
 * another handle to use them), SET on the embedded database's one session (in force at once).
 */
export async function setDatabaseDefaults(db: TestDatabase, settings: Record<string, string>): Promise<void> {
  for (const [setting, value] of Object.entries(settings)) {
    await db.prisma.$executeRawUnsafe(db.url ? `ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET ${setting} = '${value}'` : `SET ${setting} = '${value}'`);
  }
}

/** The PostgreSQL database at `url` opened again (unmigrated), every connection of it working in the time zone `zone`. */
export function openDatabaseInTimeZone(url: string, zone: string): Promise<Database> {
  return openDatabase({ url, migrate: false, timeZone: zone });
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${new URL(url).host} is not reachable (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster <version> main start) or unset DATABASE_URL to test on embedded PGlite.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
