import { readdir } from 'node:fs/promises';
import { migrationsDir } from '../../src/store/schema-engine.js';
import type { TestDatabase } from './database.js';

/** The migrations adding the figure, and filling it in for what was stored before. */
export async function theMigrations(): Promise<[string, string]> {
  const names = await readdir(migrationsDir);
  return [names.find((entry) => entry.endsWith('_sources_bytes'))!, names.find((entry) => entry.endsWith('_sources_bytes_backfill'))!];
}

/** The store as it was before the migrations adding the figure (whatever of them it has): no column, no trigger, neither migration applied. Their names. */
export async function asBeforeTheMigration({ prisma }: Pick<TestDatabase, 'prisma'>): Promise<[string, string]> {
  const names = await theMigrations();
  // The trigger functions, their triggers with them.
  for (const made of ['changed', 'rewritten']) await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS "timeline_item_size_sources_${made}"() CASCADE`);
  await prisma.$executeRawUnsafe('DROP FUNCTION IF EXISTS "timeline_item_size_sources_of"(bigint[])');
  await prisma.$executeRawUnsafe('ALTER TABLE timeline_item DROP COLUMN IF EXISTS "sourcesBytes"');
  await prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ANY(${names})`;
  return names;
}
