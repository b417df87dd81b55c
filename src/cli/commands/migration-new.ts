import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createMigration } from '../../store/schema-engine.js';

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    process.stderr.write('Usage: conversation-gateway migration-new NAME\n');
    return 2;
  }
  const pglite = new PGlite();
  const dir = await createMigration(new PrismaPGlite(pglite), positionals[0]!);
  await pglite.close();
  console.log(dir ? `Wrote ${path.relative(process.cwd(), dir)}/migration.sql` : 'schema.prisma matches the migrations; nothing to write.');
  return 0;
}
