import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, expect } from 'vitest';
import { openMessageEvents, type MessageEvents } from '../../src/live/message-events.js';
import { connectRedis } from '../../src/live/redis.js';
import { createGateway, type GatewayOptions } from '../../src/server/gateway.js';
import { gatewaySettingsFromEnv } from '../../src/config.js';
import type { GatewaySettings } from '../../src/server/settings.js';
import type { PrismaClient } from '../../src/store/database.js';
import { loadSealingKey } from '../../src/store/sealing.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export interface StartedGateway extends RunningGateway {
  /** Cuts every open connection (event streams included), as a network drop would; the server keeps listening. */
  dropConnections(): void;
}

/**
 * Settings from the environment, with rate-limit counters of this gateway's own: test runs sharing
 * one Redis must not count each other's requests.
 */
export function testSettings(env: Record<string, string | undefined> = {}): GatewaySettings {
  return gatewaySettingsFromEnv({ ...process.env, RATE_LIMIT_REDIS_PREFIX: `test:${randomUUID()}`, ...env });
}

/** The real HTTP server on a free port, with in-process live events unless others are given. */
export async function startGateway(
  prisma: PrismaClient,
  options: Partial<Pick<GatewayOptions, 'graphiqlToken' | 'observability' | 'trustedDocuments' | 'settings' | 'explorer'>> & { events?: MessageEvents; redisUrl?: string } = {},
): Promise<StartedGateway> {
  // Rate-limit counters in Redis when a URL is given (an outage is not worth a line here).
  const redis = options.redisUrl ? connectRedis(options.redisUrl, { warn() {}, info() {} }) : undefined;
  const server = createGateway({
    prisma,
    graphiql: true,
    events: options.events ?? (await openMessageEvents()),
    sealingKey: await loadSealingKey(prisma),
    settings: testSettings(),
    redis,
    ...options,
  });
  // Tests that work on the embedded database in this process (an import, a seed) hold the event
  // loop for seconds: the server's 5 s keep-alive timer would then fire just as the client reuses
  // that idle connection, and the client would read a reset. Test clients are all local and short-lived.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropConnections: () => server.closeAllConnections(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => void Promise.resolve(redis?.close()).then(() => resolve()));
      }),
  };
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** POSTs a typed document to /graphql as a client would. */
export async function graphql<T, V>(
  gateway: RunningGateway,
  token: string | null,
  document: TypedDocumentNode<T, V> | string,
  variables?: V,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** Appends `messages` (MessageInput values) to the session through the appendMessages mutation, as a client would; any error fails the test. */
export async function appendOverGraphQL(gateway: RunningGateway, token: string, sessionId: string, messages: object[]): Promise<void> {
  const appended = await graphql<{ appendMessages: { messagesCreated: number } }, unknown>(
    gateway,
    token,
    `mutation Append($sessionId: ID!, $messages: [MessageInput!]!) { appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated } }`,
    { sessionId, messages },
  );
  expect(appended.errors).toBeUndefined();
}

export interface GatewayFixture {
  db: TestDatabase;
  gateway: RunningGateway;
}

/**
 * A fresh database and a gateway over it for the whole test file, both closed after it. Call at
 * the top of the file; its properties are set once the file's first beforeAll has run.
 */
export function useTestGateway(options?: Parameters<typeof startGateway>[1]): GatewayFixture {
  const fixture = {} as GatewayFixture;
  beforeAll(async () => {
    fixture.db = await openTestDatabase();
    fixture.gateway = await startGateway(fixture.db.prisma, options);
  });
  afterAll(async () => {
    await fixture.gateway?.close();
    await fixture.db?.close();
  });
  return fixture;
}
