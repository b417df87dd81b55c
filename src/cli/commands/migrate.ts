import type { Configuration } from '../../config.js';
import { withDatabase } from '../../store/database.js';
import { parseCommandArgs } from '../usage.js';

export async function run(args: string[], configuration: Configuration): Promise<number> {
  parseCommandArgs('migrate', args, {});
  const applied = await withDatabase(configuration.database, async (database) => database.appliedMigrations);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
  return 0;
}

