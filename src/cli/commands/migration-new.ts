import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createMigration } from '../../store/schema-engine.js';
import { parseCommandArgs, UsageError } from '../usage.js';

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('migration-new', args, {}, true);
  if (positionals.length !== 1) throw new UsageError('Name the migration, in one word: migration-new add_something');
  const pglite = new PGlite();
  const dir = await createMigration(new PrismaPGlite(pglite), positionals[0]!);
  await pglite.close();
  console.log(dir ? `Wrote ${path.relative(process.cwd(), dir)}/migration.sql` : 'schema.prisma matches the migrations; nothing to write.');
  return 0;
}
