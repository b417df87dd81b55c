import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { seedDemo } from '../demo/seed.js';
import { importMessages, type ImportFormat, type ImportProgress, type ImportSummary } from '../import/importer.js';
import { openMessageEvents } from '../live/message-events.js';
import { createGateway } from '../server/gateway.js';
import { createAccount, type AccountCredentials } from '../store/accounts.js';
import { databaseOptionsFromEnv, openDatabase, type Database } from '../store/database.js';
import { StoreError } from '../store/errors.js';
import { createMigration } from '../store/schema-engine.js';

const usage = `conversation-gateway: a Relay GraphQL gateway over conversation history, with the
Twilio Conversation History and analytics REST APIs served alongside.

Usage:
  conversation-gateway [serve]                 start the gateway (the default)
  conversation-gateway migrate                 apply pending database migrations and exit
  conversation-gateway account create [--name NAME]
                                               create an account; prints {"accountSid","authToken"}
  conversation-gateway import --account AC… --format twilio|analytics [--session ID] [--json] FILE…
                                               import conversations (FILE "-" reads standard input):
                                               Twilio Conversation History pages (one, several in a
                                               row, or an array of them) or analytics message arrays
                                               (these need --session). Each file is stored whole or
                                               not at all; importing a file again changes nothing.
  conversation-gateway migration-new NAME      (development) write a migration for schema.prisma changes
  conversation-gateway --help                  show this help

Environment:
  DATABASE_URL   postgresql://user@host:5432/db; without it, embedded PGlite is used
  DATA_DIR       where the embedded database lives (default ./data)
  PORT           port to listen on (default 4000); HOST (default 0.0.0.0)
  NODE_ENV       "production" turns GraphiQL off unless GRAPHIQL=true
  GRAPHIQL       true or false: serve GraphiQL at /graphql in a browser
  REDIS_URL      redis://host:6379: live events reach subscribers on every gateway process
  PUBLIC_URL     the gateway's public origin behind a proxy (https://api.example.com); paging URLs use it
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  serve,
  migrate,
  account: accountCommand,
  'migration-new': migrationNew,
  import: importCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof StoreError || (error instanceof TypeError && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
      process.stderr.write(`conversation-gateway: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function demoCredentialsPath(dataDir: string): string {
  return path.join(dataDir, 'demo-credentials.json');
}

/** On an empty embedded database, seeds the demo account and keeps its credentials beside the data. */
async function demoCredentials(database: Database, dataDir: string): Promise<AccountCredentials | undefined> {
  if (!database.embedded) return undefined;
  const file = demoCredentialsPath(dataDir);
  if ((await database.prisma.account.count()) === 0) {
    const credentials = await seedDemo(database.prisma);
    await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    return credentials;
  }
  return readFile(file, 'utf8').then((text) => JSON.parse(text) as AccountCredentials, () => undefined);
}

async function serve(args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  const options = databaseOptionsFromEnv();
  const database = await openDatabase(options);
  const demo = await demoCredentials(database, options.dataDir!);
  const graphiql = process.env.GRAPHIQL ? process.env.GRAPHIQL === 'true' : process.env.NODE_ENV !== 'production';
  const events = await openMessageEvents(process.env.REDIS_URL || undefined).catch(async (error) => {
    await database.close();
    throw error;
  });
  const server = createGateway({ prisma: database.prisma, events, graphiql, graphiqlToken: demo?.authToken, publicUrl: process.env.PUBLIC_URL });
  const port = Number(process.env.PORT ?? 4000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.HOST ?? '0.0.0.0', resolve);
  });
  const address = server.address();
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : port}`;
  console.log(`conversation-gateway listening on ${url} (${database.description}; live events ${events.description})`);
  if (database.appliedMigrations.length) console.log(`Applied migrations: ${database.appliedMigrations.join(', ')}`);
  if (graphiql) console.log(`GraphiQL: ${url}/graphql`);
  if (demo) {
    console.log(`Demo account: ${demo.accountSid}`);
    console.log(`Demo auth token: ${demo.authToken}  (Authorization: Bearer <token>, or Basic ${demo.accountSid}:<token>)`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await events.close();
  await database.close();
  return 0;
}

async function migrate(args: string[]): Promise<number> {
  parseArgs({ args, options: {} });
  const database = await openDatabase(databaseOptionsFromEnv());
  const applied = database.appliedMigrations;
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
  await database.close();
  return 0;
}

async function accountCommand(args: string[]): Promise<number> {
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

const formats = ['twilio', 'analytics'] as const;

async function importCommand(args: string[]): Promise<number> {
  const { positionals: files, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { account: { type: 'string' }, format: { type: 'string' }, session: { type: 'string' }, json: { type: 'boolean' } },
  });
  const format = values.format as ImportFormat | undefined;
  const problem = !values.account
    ? 'Which account? Pass --account AC…'
    : !format || !formats.includes(format)
      ? `Pass --format twilio or --format analytics${values.format ? `, not "${values.format}"` : ''}`
      : !files.length
        ? 'Name at least one file to import, or "-" for standard input'
        : null;
  if (problem) {
    process.stderr.write(`${problem}\n\nUsage: conversation-gateway import --account AC… --format twilio|analytics [--session ID] [--json] FILE…\n`);
    return 2;
  }
  const database = await openDatabase(databaseOptionsFromEnv());
  const events = await openMessageEvents(process.env.REDIS_URL || undefined).catch(async (error) => {
    await database.close();
    throw error;
  });
  let failed = 0;
  try {
    for (const file of files) {
      const name = file === '-' ? 'standard input' : file;
      const size = file === '-' ? undefined : await stat(file).then((s) => (s.isFile() ? s.size : null), () => null);
      if (size === null) {
        failed++;
        process.stderr.write(`conversation-gateway: ${name} is not a file that can be read.\n`);
        continue;
      }
      const progress = progressReporter(name, size);
      try {
        const input = file === '-' ? process.stdin : createReadStream(file);
        const { summary, appended } = await importMessages(database.prisma, input, name, { accountSid: values.account!, format: format!, sessionId: values.session }, progress.update);
        progress.done();
        appended.forEach(events.published);
        console.log(values.json ? JSON.stringify({ file: name, ...summary }) : describeImport(name, summary));
      } catch (error) {
        progress.done();
        if (!(error instanceof StoreError)) throw error;
        failed++;
        process.stderr.write(`conversation-gateway: ${error.message}. Nothing from ${name} was stored.\n`);
      }
    }
  } finally {
    await events.close();
    await database.close();
  }
  return failed ? 1 : 0;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function describeImport(name: string, summary: ImportSummary): string {
  const line = (noun: string, created: number, present: number) => `${plural(created, noun)} created, ${present.toLocaleString('en-US')} already present`;
  return [
    `${name}:`,
    `  ${line('session', summary.sessionsCreated, summary.sessionsPresent)}`,
    `  ${line('message', summary.messagesCreated, summary.messagesPresent)}`,
    `  ${line('source', summary.sourcesCreated, summary.sourcesPresent)}`,
  ].join('\n');
}

/** A progress line on a terminal (rewritten in place, a few times a second); nothing when output is piped. */
function progressReporter(name: string, totalBytes: number | undefined) {
  const enabled = process.stderr.isTTY;
  let last = 0;
  const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return {
    update: ({ bytes, messages }: ImportProgress) => {
      if (!enabled || Date.now() - last < 200) return;
      last = Date.now();
      const of = totalBytes ? ` of ${megabytes(totalBytes)} (${Math.floor((100 * bytes) / totalBytes)}%)` : '';
      process.stderr.write(`\r\x1b[Kimporting ${name}: ${megabytes(bytes)}${of}, ${plural(messages, 'message')}`);
    },
    done: () => {
      if (enabled && last) process.stderr.write('\r\x1b[K');
    },
  };
}

async function migrationNew(args: string[]): Promise<number> {
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
