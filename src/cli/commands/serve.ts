import type { Configuration } from '../../config.js';
import { reportFaultsTo } from '../../errors.js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seedDemo } from '../../demo/seed.js';
import { openMessageEvents } from '../../live/message-events.js';
import { connectRedis } from '../../live/redis.js';
import { loadExplorerDocuments } from '../../server/explorer.js';
import { createGateway } from '../../server/gateway.js';
import { createLogger } from '../../server/logger.js';
import { createMetricsServer, createObservability } from '../../server/observability.js';
import { startRetentionSweeps } from '../../server/retention-sweeps.js';
import { atMost, untilShutdownSignal } from '../../server/shutdown.js';
import { loadTrustedDocuments } from '../../server/trusted-documents.js';
import type { AccountCredentials } from '../../store/accounts.js';
import { listenForCredentialChanges } from '../../store/credential-changes.js';
import { openDatabase, type Database } from '../../store/database.js';
import { loadSealingKey } from '../../store/sealing.js';
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

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { values } = parseCommandArgs('serve', args, { port: { type: 'string' }, host: { type: 'string' } });
  const log = createLogger(configuration.log);
  // A fault is a line of the JSON log like every other, its stack under `err`.
  reportFaultsTo((error) => log.error({ err: error }, 'fault'));
  const { metrics, shutdownDrainMs: drainMs, redisUrl } = configuration;
  const database = await openDatabase({ ...configuration.database, timeouts: configuration.databaseTimeouts });
  // Whatever was opened is closed again, in reverse order, however the command ends.
  const opened: (() => Promise<unknown>)[] = [() => database.close()];
  try {
    // A production gateway holds real tenants only: no demo account, and no token printed.
    const demo = configuration.production ? undefined : await demoCredentials(database, configuration.database.dataDir);
    const { graphiql, trustedDocumentsFile } = configuration;
    const redis = redisUrl ? connectRedis(redisUrl, log) : undefined;
    if (redis) opened.unshift(() => redis.close());
    const events = await openMessageEvents(redis, configuration.messageEvents);
    const trustedDocuments = trustedDocumentsFile ? await loadTrustedDocuments(trustedDocumentsFile) : undefined;
    const observability = createObservability({ log, databasePool: database.pool, processMetrics: true });
    const server = createGateway({
      prisma: database.prisma,
      events,
      sealingKey: await loadSealingKey(database.prisma),
      redis,
      graphiql,
      graphiqlToken: demo?.authToken,
      settings: configuration.gateway,
      observability,
      metricsEndpoint: metrics.enabled && metrics.port === undefined,
      trustedDocuments,
      explorer: configuration.explorer && { demoToken: demo?.authToken, documents: await loadExplorerDocuments() },
    });
    // Credential changes reach this process through the database it shares with the others, and through Redis when there is one.
    if (configuration.database.url) {
      const changes = await listenForCredentialChanges(configuration.database.url, { changed: server.credentialsChanged, missed: () => server.credentialsChanged() }, log);
      opened.unshift(() => changes.close());
    }
    if (redis) await watchCredentialChanges(redis, server.credentialsChanged);
    const stopping = untilShutdownSignal();
    const host = values.host ?? configuration.host;
    const url = await listenOn(server, values.port ?? String(configuration.port), host);
    if (metrics.enabled && metrics.port !== undefined) {
      const metricsServer = createMetricsServer(observability);
      opened.unshift(() => new Promise((closed) => metricsServer.close(closed)));
      console.log(`Metrics: ${await listenOn(metricsServer, String(metrics.port), host)}/metrics`);
    }
    const sweeps = startRetentionSweeps({
      prisma: database.prisma,
      databaseUrl: configuration.database.url,
      connectMs: configuration.databaseTimeouts.connectMs,
      intervalMs: configuration.retentionSweepIntervalMs,
      observability,
      events,
    });
    opened.unshift(() => sweeps.stop());
    console.log(`conversation-gateway listening on ${url} (${database.description}; live events ${events.description})`);
    if (database.appliedMigrations.length) console.log(`Applied migrations: ${database.appliedMigrations.join(', ')}`);
    if (trustedDocuments) console.log(`Trusted documents only: ${trustedDocuments.size} from ${trustedDocumentsFile}`);
    if (configuration.explorer) console.log(`Explorer: ${url}/`);
    if (graphiql) console.log(`GraphiQL: ${url}/graphql`);
    if (demo) {
      console.log(`Demo account: ${demo.accountSid}`);
      console.log(`Demo auth token: ${demo.authToken}  (Authorization: Bearer <token>, or Basic ${demo.accountSid}:<token>)`);
    }
    const signal = await stopping;
    console.log(`${signal}: draining (at most ${drainMs / 1000} s; send it again to exit at once)`);
    // No retention sweep starts while draining; one under way ends after its current batch.
    await sweeps.stop();
    await server.shutdown(drainMs);
    // The log is written asynchronously: its last lines (the requests cut at shutdown) are written out before the exit.
    await new Promise<void>((resolve) => log.flush(() => resolve()));
  } finally {
    for (const close of opened) await atMost(2000, close());
  }
  console.log('conversation-gateway stopped');
  return 0;
}
