import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { seedDemo } from '../demo/seed.js';
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
  conversation-gateway migration-new NAME      (development) write a migration for schema.prisma changes
  conversation-gateway --help                  show this help

Environment:
  DATABASE_URL   postgresql://user@host:5432/db; without it, embedded PGlite is used
  DATA_DIR       where the embedded database lives (default ./data)
  PORT           port to listen on (default 4000); HOST (default 0.0.0.0)
  NODE_ENV       "production" turns GraphiQL off unless GRAPHIQL=true
  GRAPHIQL       true or false: serve GraphiQL at /graphql in a browser
  PUBLIC_URL     the gateway's public origin behind a proxy (https://api.example.com); paging URLs use it
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  serve,
  migrate,
  account: accountCommand,
  'migration-new': migrationNew,
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
  const server = createGateway({ prisma: database.prisma, graphiql, graphiqlToken: demo?.authToken, publicUrl: process.env.PUBLIC_URL });
  const port = Number(process.env.PORT ?? 4000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.HOST ?? '0.0.0.0', resolve);
  });
  const address = server.address();
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : port}`;
  console.log(`conversation-gateway listening on ${url} (${database.description})`);
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
