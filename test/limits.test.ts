import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { openMessageEvents } from '../src/live/message-events.js';
import { createGateway } from '../src/server/gateway.js';
import { exampleQuery } from '../src/server/graphql-endpoint.js';
import { gatewaySettingsFromEnv } from '../src/config.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { startCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { basicAuth, send, type HttpAnswer } from './support/http.js';

let db: TestDatabase;
let alice: AccountCredentials;
let bob: AccountCredentials;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  alice = await seedDemo(db.prisma);
  bob = await createAccount(db.prisma, 'Bob');
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await db?.close();
});

async function gatewayWith(env: Record<string, string> = {}): Promise<RunningGateway> {
  const gateway = await startGateway(db.prisma, { settings: testSettings(env), redisUrl: env.REDIS_URL });
  gateways.push(gateway);
  return gateway;
}

function post(gateway: RunningGateway, who: AccountCredentials | null, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return send(gateway.url, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${who.authToken}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

describe('the default limits admit every query the project itself sends', () => {
  const readmeQuery = /## The GraphQL API[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8'))![1]!;

  it("GraphiQL's example query and the README's query run without errors", async () => {
    const gateway = await gatewayWith();
    const example = await post(gateway, alice, exampleQuery);
    expect(example.json.errors).toBeUndefined();
    expect(example.json.data.sessions.edges.length).toBeGreaterThanOrEqual(3);
    const readme = await post(gateway, alice, readmeQuery, { cursor: null });
    expect(readme.json.errors).toBeUndefined();
    expect(readme.json.data.session.messages.edges.length).toBeGreaterThan(0);
  });

  it('the Twilio routes serve their largest page, PageSize=1000', async () => {
    const gateway = await gatewayWith();
    const answer = await send(gateway.url, '/v1/Sessions/billing-late-fee/Messages?PageSize=1000', { headers: { authorization: basicAuth(alice.accountSid, alice.authToken) } });
    expect(answer.status).toBe(200);
    expect(answer.json.messages).toHaveLength(4);
  });
});

describe('limits are configurable', () => {
  it('a lower depth, alias, token and cost limit each refuse with LIMIT_EXCEEDED, naming the figure and the limit', async () => {
    const gateway = await gatewayWith({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '1', GRAPHQL_MAX_TOKENS: '40', GRAPHQL_MAX_COST: '100' });
    const cases: [string, RegExp][] = [
      ['{ sessions { edges { node { sessionId } } } }', /depth limit of 3 exceeded, found 4/],
      ['{ a: account { sid } b: account { sid } }', /Aliases limit of 1 exceeded, found 2/],
      [`{ account { ${'sid '.repeat(40)} } }`, /Token limit of 40 exceeded/],
      ['{ sessions(first: 200) { totalCount } }', /estimated cost is \d+, over the limit of 100/],
    ];
    for (const [query, message] of cases) {
      const answer = await post(gateway, alice, query);
      expect(answer.json.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
      expect(answer.json.errors[0].message).toMatch(message);
    }
    const within = await post(gateway, alice, '{ sessions(first: 2) { totalCount } }');
    expect(within.json.errors).toBeUndefined();
  });

  it('a body over MAX_BODY_BYTES is answered 413 in the GraphQL shape', async () => {
    const gateway = await gatewayWith({ MAX_BODY_BYTES: '100' });
    const answer = await post(gateway, alice, `{ account { sid } } # ${'x'.repeat(100)}`);
    expect(answer.status).toBe(413);
    expect(answer.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await post(gateway, alice, '{ account { sid } }')).status).toBe(200);
  });

  it('refuses a malformed setting by name', () => {
    expect(() => gatewaySettingsFromEnv({ GRAPHQL_MAX_DEPTH: 'ten' })).toThrow('GRAPHQL_MAX_DEPTH must be a positive whole number, not "ten"');
    expect(() => gatewaySettingsFromEnv({ GRAPHQL_INTROSPECTION: 'yes' })).toThrow('GRAPHQL_INTROSPECTION must be "true" or "false", not "yes"');
  });
});

describe('rate limits', () => {
  it('an account over its limit gets 429 on every surface, with Retry-After, while another account is served', async () => {
    const gateway = await gatewayWith({ RATE_LIMIT_ACCOUNT_REQUESTS: '3', RATE_LIMIT_ACCOUNT_WINDOW_SECONDS: '600' });
    for (let n = 0; n < 3; n++) expect((await post(gateway, alice, '{ account { sid } }')).status).toBe(200);
    const graphql = await post(gateway, alice, '{ account { sid } }');
    const twilio = await send(gateway.url, '/v1/Sessions', { headers: { authorization: basicAuth(alice.accountSid, alice.authToken) } });
    const analytics = await send(gateway.url, '/api/v1/conversations/password-reset/messages', { headers: { authorization: `Bearer ${alice.authToken}` } });
    expect([graphql.status, twilio.status, analytics.status]).toEqual([429, 429, 429]);
    expect(graphql.json.errors[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(twilio.json).toMatchObject({ code: 20429, status: 429, more_info: 'https://www.twilio.com/docs/errors/20429' });
    expect(analytics.json).toMatchObject({ status: 'error', error: { code: 'rate_limit_exceeded' } });
    for (const answer of [graphql, twilio, analytics]) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(500);
    expect((await post(gateway, bob, '{ account { name } }')).json).toEqual({ data: { account: { name: 'Bob' } } });
  });

  it.skipIf(!process.env.REDIS_URL)('gateways sharing a Redis key prefix share their counters', async () => {
    const prefix = `test:shared:${Date.now()}:${Math.random()}`;
    const env = { RATE_LIMIT_REDIS_PREFIX: prefix, RATE_LIMIT_AUTH_FAILURES: '4' };
    const shared = { settings: gatewaySettingsFromEnv({ ...process.env, ...env }), redisUrl: process.env.REDIS_URL };
    const [first, second] = [await startGateway(db.prisma, shared), await startGateway(db.prisma, shared)];
    gateways.push(first, second);
    const wrong = { ...alice, authToken: 'wrong' };
    const statuses = [];
    for (const gateway of [first, second, first, second, first, second]) statuses.push((await post(gateway, wrong, '{ account { sid } }')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('with Redis unreachable, limits fall back to in-process counters: nobody is refused for it and failures still count', async () => {
    const gateway = await gatewayWith({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_AUTH_FAILURES: '3' });
    for (let n = 0; n < 5; n++) expect((await post(gateway, alice, '{ account { sid } }')).status).toBe(200);
    const wrong = { ...alice, authToken: 'wrong' };
    const statuses = [];
    for (let n = 0; n < 5; n++) statuses.push((await post(gateway, wrong, '{ account { sid } }')).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('production settings', () => {
  it('introspection and field suggestions are on in development, off in production, and GRAPHQL_INTROSPECTION=true turns introspection back on', async () => {
    const development = await gatewayWith({ NODE_ENV: 'development' });
    const production = await gatewayWith({ NODE_ENV: 'production' });
    const productionIntrospecting = await gatewayWith({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' });
    const introspection = '{ __schema { queryType { name } } }';
    expect((await post(development, alice, introspection)).json.data.__schema.queryType.name).toBe('Query');
    expect((await post(production, alice, introspection)).json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post(productionIntrospecting, alice, introspection)).json.data.__schema.queryType.name).toBe('Query');
    expect((await post(development, alice, '{ sesions { totalCount } }')).json.errors[0].message).toContain('Did you mean "sessions"');
    expect((await post(production, alice, '{ sesions { totalCount } }')).json.errors[0].message).not.toContain('sessions');
  });

  it('CORS answers only the origins CORS_ORIGINS lists, and none by default', async () => {
    const none = await gatewayWith();
    const listed = await gatewayWith({ CORS_ORIGINS: 'https://app.example, https://admin.example' });
    const query = '{ account { sid } }';
    const from = (gateway: RunningGateway, origin: string) => post(gateway, alice, query, undefined, { origin });
    expect((await from(none, 'https://app.example')).headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await from(listed, 'https://app.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect((await from(listed, 'https://evil.example')).headers['access-control-allow-origin']).not.toBe('https://evil.example');
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(!external)('GraphiQL pre-fills the demo token for a client on this machine only', async () => {
    const events = await openMessageEvents();
    const server = createGateway({ prisma: db.prisma, events, sealingKey: await loadSealingKey(db.prisma), graphiql: true, graphiqlToken: alice.authToken, settings: testSettings() });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const page = (host: string) => send(`http://${host}:${port}`, '/graphql', { headers: { accept: 'text/html' } });
      const local = await page('127.0.0.1');
      expect(local.text).toContain(alice.authToken);
      const remote = await page(external!);
      expect(remote.status).toBe(200);
      expect(remote.text).toContain('Bearer <auth token>');
      expect(remote.text).not.toContain(alice.authToken);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a production start on an empty embedded database seeds no demo account and prints no token', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cg-production-'));
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const gateway = await startCli({ ...env, DATA_DIR: dataDir, NODE_ENV: 'production' });
    try {
      expect(gateway.output()).not.toContain('Demo');
      expect(gateway.output()).not.toContain('auth token');
    } finally {
      await gateway.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
