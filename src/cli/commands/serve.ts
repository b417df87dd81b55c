import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedDemo } from '../../demo/seed.js';
import { messageEventsOptionsFromEnv, openMessageEvents } from '../../live/message-events.js';
import { createGateway } from '../../server/gateway.js';
import { atMost, untilShutdownSignal } from '../../server/shutdown.js';
import { positiveIntegerFromEnv } from '../../settings.js';
import type { AccountCredentials } from '../../store/accounts.js';
import { databaseOptionsFromEnv, databaseTimeoutsFromEnv, openDatabase, type Database } from '../../store/database.js';
import { noOptions } from '../options.js';

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

export async function run(args: string[]): Promise<number> {
  noOptions(args);
  const options = { ...databaseOptionsFromEnv(), timeouts: databaseTimeoutsFromEnv() };
  const database = await openDatabase(options);
  // A production gateway holds real tenants only: no demo account, and no token printed.
  const demo = process.env.NODE_ENV === 'production' ? undefined : await demoCredentials(database, options.dataDir!);
  const graphiql = process.env.GRAPHIQL ? process.env.GRAPHIQL === 'true' : process.env.NODE_ENV !== 'production';
  const drainMs = positiveIntegerFromEnv(process.env, 'SHUTDOWN_DRAIN_MS', 10_000);
  const events = await openMessageEvents(process.env.REDIS_URL || undefined, messageEventsOptionsFromEnv()).catch(async (error) => {
    await database.close();
    throw error;
  });
  const server = createGateway({ prisma: database.prisma, events, graphiql, graphiqlToken: demo?.authToken, publicUrl: process.env.PUBLIC_URL });
  const stopping = untilShutdownSignal();
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
  const signal = await stopping;
  console.log(`${signal}: draining (at most ${drainMs / 1000} s; send it again to exit at once)`);
  await server.shutdown(drainMs);
  await atMost(2000, events.close());
  await atMost(2000, database.close());
  console.log('conversation-gateway stopped');
  return 0;
}

