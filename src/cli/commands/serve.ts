import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedDemo } from '../../demo/seed.js';
import { openMessageEvents } from '../../live/message-events.js';
import { createGateway } from '../../server/gateway.js';
import type { AccountCredentials } from '../../store/accounts.js';
import { databaseOptionsFromEnv, openDatabase, type Database } from '../../store/database.js';
import { forgetCredentials } from '../../store/accounts.js';
import { watchCredentialChanges } from '../../live/credential-events.js';
import { listenOn } from '../listen.js';
import { parseCommandArgs } from '../usage.js';

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
  const { values } = parseCommandArgs('serve', args, { port: { type: 'string' }, host: { type: 'string' } });
  const options = databaseOptionsFromEnv();
  const database = await openDatabase(options);
  const demo = await demoCredentials(database, options.dataDir!);
  const graphiql = process.env.GRAPHIQL ? process.env.GRAPHIQL === 'true' : process.env.NODE_ENV !== 'production';
  const events = await openMessageEvents(process.env.REDIS_URL || undefined).catch(async (error) => {
    await database.close();
    throw error;
  });
  const credentialChanges = process.env.REDIS_URL
    ? await watchCredentialChanges(process.env.REDIS_URL, (accountSid) => forgetCredentials(database.prisma, accountSid))
    : undefined;
  const server = createGateway({ prisma: database.prisma, events, graphiql, graphiqlToken: demo?.authToken, publicUrl: process.env.PUBLIC_URL });
  const url = await listenOn(server, values.port ?? process.env.PORT ?? '4000', values.host ?? process.env.HOST ?? '0.0.0.0').catch(async (error) => {
    await Promise.all([events.close(), credentialChanges?.close()]);
    await database.close();
    throw error;
  });
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
  await Promise.all([events.close(), credentialChanges?.close()]);
  await database.close();
  return 0;
}

