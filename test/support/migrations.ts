import { readdir } from 'node:fs/promises';
import { migrationsDir } from '../../src/store/schema-engine.js';
import type { TestDatabase } from './database.js';

/** What each of theMigrations' names ends with. */
const MIGRATIONS = ['_sources_bytes', '_sources_bytes_backfill', '_session_item_bytes', '_session_item_bytes_backfill'];

/**
 * The migrations adding the sources' figure and filling it in, then those adding the session's
 * largest item and filling it in, which counts the figure: their names, in that order.
 */
export async function theMigrations(): Promise<string[]> {
  const names = await readdir(migrationsDir);
  return MIGRATIONS.map((suffix) => names.find((entry) => entry.endsWith(suffix))!);
}

/**
 * The store as it was before the migrations adding the figure: no column, no trigger, none of
 * theMigrations applied (the session's largest item undone first). Their names.
 */
export async function asBeforeTheMigration({ prisma }: Pick<TestDatabase, 'prisma'>): Promise<string[]> {
  const names = await theMigrations();
  // The session's largest item: its trigger function (its triggers with it), its sizing function, its column.
  await prisma.$executeRawUnsafe('DROP FUNCTION IF EXISTS "session_bound_item_bytes"() CASCADE');
  await prisma.$executeRawUnsafe('DROP FUNCTION IF EXISTS "timeline_item_bytes"(timeline_item)');
  await prisma.$executeRawUnsafe('ALTER TABLE session DROP COLUMN IF EXISTS "maxItemBytes"');
  // The sources' figure: the trigger functions, their triggers with them.
  for (const made of ['changed', 'rewritten']) await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS "timeline_item_size_sources_${made}"() CASCADE`);
  await prisma.$executeRawUnsafe('DROP FUNCTION IF EXISTS "timeline_item_size_sources_of"(bigint[])');
  await prisma.$executeRawUnsafe('ALTER TABLE timeline_item DROP COLUMN IF EXISTS "sourcesBytes"');
  await prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ANY(${names})`;
  return names;
}
