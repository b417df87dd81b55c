import type { Configuration } from '../../config.js';
import { createAccount, listAccounts, MAX_RETENTION_DAYS, rotateAuthToken, setRetention } from '../../store/accounts.js';
import { withDatabase, type Database } from '../../store/database.js';
import { announceCredentialsChanged } from '../credential-changes.js';
import { parseCommandArgs, UsageError } from '../usage.js';
import { printTable } from '../table.js';

const subcommands = ['create', 'list', 'rotate-token', 'set-retention'];
/** The subcommands that name an account. */
const onOneAccount = ['rotate-token', 'set-retention'];

interface AccountOptions {
  name?: string;
  json?: boolean;
  days?: string;
  off?: boolean;
}

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { positionals, values } = parseCommandArgs(
    'account',
    args,
    { name: { type: 'string' }, json: { type: 'boolean' }, days: { type: 'string' }, off: { type: 'boolean' } },
    true,
  );
  const [subcommand, ...rest] = positionals;
  if (!subcommand || !subcommands.includes(subcommand)) {
    const known = 'create, list, rotate-token or set-retention';
    throw new UsageError(subcommand ? `Unknown account command "${subcommand}"; it is ${known}` : `Which account command? ${known}`, 'account');
  }
  const expected = onOneAccount.includes(subcommand) ? 1 : 0;
  if (rest.length !== expected) {
    throw new UsageError(expected ? `Which account? Name it: account ${subcommand} AC…` : `"account ${subcommand}" takes no arguments, got "${rest[0]}"`, 'account');
  }
  const retentionDays = subcommand === 'set-retention' ? retentionOf(values) : undefined;
  await withDatabase(configuration.database, (database) => runAccountCommand(database, configuration, subcommand, rest[0], values, retentionDays));
  return 0;
}

/** `--days N` or `--off`, exactly one of them: N days, or null for no retention. */
function retentionOf({ days, off }: AccountOptions): number | null {
  if ((days === undefined) === !off) throw new UsageError('Give either --days N (keep sessions N days after their last message) or --off (keep them for ever)', 'account');
  if (off) return null;
  const number = /^\d+$/.test(days!) ? Number(days) : Number.NaN;
  if (!(number >= 1 && number <= MAX_RETENTION_DAYS)) throw new UsageError(`--days is a whole number of days from 1 to ${MAX_RETENTION_DAYS}, not "${days}"`, 'account');
  return number;
}

async function runAccountCommand(
  database: Database,
  configuration: Configuration,
  subcommand: string,
  accountSid: string | undefined,
  values: AccountOptions,
  retentionDays: number | null | undefined,
) {
  if (subcommand === 'create') return console.log(JSON.stringify(await createAccount(database.prisma, values.name ?? 'Account')));
  if (subcommand === 'rotate-token') {
    const credentials = await rotateAuthToken(database.prisma, accountSid!);
    console.log(JSON.stringify(credentials));
    return announceCredentialsChanged(configuration, accountSid!);
  }
  if (subcommand === 'set-retention') return console.log(JSON.stringify(await setRetention(database.prisma, accountSid!, retentionDays!)));
  const accounts = await listAccounts(database.prisma);
  if (values.json) return accounts.forEach((account) => console.log(JSON.stringify(account)));
  printTable(
    ['ACCOUNT', 'NAME', 'CREATED', 'TOKEN ROTATED', 'API KEYS', 'RETENTION'],
    accounts.map((a) => [
      a.accountSid,
      a.name,
      a.createdAt.toISOString(),
      a.tokenRotatedAt?.toISOString() ?? '-',
      String(a.apiKeys),
      a.retentionDays === null ? 'off' : `${a.retentionDays} days`,
    ]),
  );
}
