import type { Configuration } from '../../config.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.js';
import { withDatabase, type Database } from '../../store/database.js';
import { announceCredentialsChanged } from '../credential-changes.js';
import { parseCommandArgs, UsageError } from '../usage.js';
import { printTable } from '../table.js';

interface KeyOptions {
  account?: string;
  name?: string;
  'read-only'?: boolean;
  json?: boolean;
}

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { positionals, values } = parseCommandArgs(
    'key',
    args,
    { account: { type: 'string' }, name: { type: 'string' }, 'read-only': { type: 'boolean' }, json: { type: 'boolean' } },
    true,
  );
  const [subcommand, ...rest] = positionals;
  if (subcommand !== 'create' && subcommand !== 'list' && subcommand !== 'revoke') {
    throw new UsageError(subcommand ? `Unknown key command "${subcommand}"; it is create, list or revoke` : 'Which key command? create, list or revoke', 'key');
  }
  if (subcommand === 'revoke' ? rest.length !== 1 : rest.length) {
    throw new UsageError(subcommand === 'revoke' ? 'Which key? Name it: key revoke SK…' : `"key ${subcommand}" takes no arguments, got "${rest[0]}"`, 'key');
  }
  if (subcommand !== 'revoke' && !values.account) throw new UsageError(`Which account? Pass --account AC…`, 'key');
  await withDatabase(configuration.database, (database) => runKeyCommand(database, configuration, subcommand, rest[0], values));
  return 0;
}

async function runKeyCommand(database: Database, configuration: Configuration, subcommand: 'create' | 'list' | 'revoke', keySid: string | undefined, values: KeyOptions) {
  if (subcommand === 'create') {
    return console.log(JSON.stringify(await createApiKey(database.prisma, values.account!, { name: values.name, readOnly: values['read-only'] })));
  }
  if (subcommand === 'revoke') {
    const { accountSid } = await revokeApiKey(database.prisma, keySid!);
    console.log(`Revoked ${keySid}.`);
    return announceCredentialsChanged(configuration, accountSid);
  }
  const keys = await listApiKeys(database.prisma, values.account!);
  if (values.json) return keys.forEach((key) => console.log(JSON.stringify(key)));
  printTable(
    ['KEY', 'NAME', 'ACCESS', 'CREATED'],
    keys.map((key) => [key.sid, key.name, key.readOnly ? 'read-only' : 'read-write', key.createdAt.toISOString()]),
  );
}
