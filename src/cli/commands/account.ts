import { parseArgs } from 'node:util';
import { createAccount } from '../../store/accounts.js';
import { databaseOptionsFromEnv, openDatabase } from '../../store/database.js';

export async function run(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' } } });
  if (positionals[0] !== 'create' || positionals.length > 1) {
    process.stderr.write('Usage: conversation-gateway account create [--name NAME]\n');
    return 2;
  }
  const database = await openDatabase(databaseOptionsFromEnv());
  try {
    console.log(JSON.stringify(await createAccount(database.prisma, values.name ?? 'Account')));
  } finally {
    await database.close();
  }
  return 0;
}

