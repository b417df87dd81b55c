import type { Configuration } from '../../config.js';
import { createAccount, listAccounts, rotateAuthToken } from '../../store/accounts.js';
import { withDatabase, type Database } from '../../store/database.js';
import { announceCredentialsChanged } from '../credential-changes.js';
import { parseCommandArgs, UsageError } from '../usage.js';
import { printTable } from '../table.js';

const subcommands = ['create', 'list', 'rotate-token'];

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { positionals, values } = parseCommandArgs('account', args, { name: { type: 'string' }, json: { type: 'boolean' } }, true);
  const [subcommand, ...rest] = positionals;
  if (!subcommand || !subcommands.includes(subcommand)) {
    throw new UsageError(subcommand ? `Unknown account command "${subcommand}"; it is create, list or rotate-token` : 'Which account command? create, list or rotate-token', 'account');
  }
  const expected = subcommand === 'rotate-token' ? 1 : 0;
  if (rest.length !== expected) {
    throw new UsageError(expected ? 'Which account? Name it: account rotate-token AC…' : `"account ${subcommand}" takes no arguments, got "${rest[0]}"`, 'account');
  }
  await withDatabase(configuration.database, (database) => runAccountCommand(database, configuration, subcommand, rest[0], values));
  return 0;
}

async function runAccountCommand(database: Database, configuration: Configuration, subcommand: string, accountSid: string | undefined, values: { name?: string; json?: boolean }) {
  if (subcommand === 'create') return console.log(JSON.stringify(await createAccount(database.prisma, values.name ?? 'Account')));
  if (subcommand === 'rotate-token') {
    const credentials = await rotateAuthToken(database.prisma, accountSid!);
    console.log(JSON.stringify(credentials));
    return announceCredentialsChanged(configuration, accountSid!);
  }
  const accounts = await listAccounts(database.prisma);
  if (values.json) return accounts.forEach((account) => console.log(JSON.stringify(account)));
  printTable(
    ['ACCOUNT', 'NAME', 'CREATED', 'TOKEN ROTATED', 'API KEYS'],
    accounts.map((a) => [a.accountSid, a.name, a.createdAt.toISOString(), a.tokenRotatedAt?.toISOString() ?? '-', String(a.apiKeys)]),
  );
}
