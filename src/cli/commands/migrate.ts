import { databaseOptionsFromEnv, openDatabase } from '../../store/database.js';
import { parseCommandArgs } from '../usage.js';

export async function run(args: string[]): Promise<number> {
  parseCommandArgs('migrate', args, {});
  const database = await openDatabase(databaseOptionsFromEnv());
  const applied = database.appliedMigrations;
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
  await database.close();
  return 0;
}

