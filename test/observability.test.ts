import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createObservability } from '../src/server/observability.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { ensureSession } from '../src/store/sessions.js';
import { startCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { graphql, startGateway, type RunningGateway } from './support/gateway.js';
import { parsePrometheusText } from './support/prometheus.js';
import { subscribe } from './support/subscription.js';

const Watched = gql(`subscription Watched($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);
const Counted = gql(`query Counted { sessions { totalCount } }`);
const Created = gql(`mutation Created($sessionId: String!) { createSession(sessionId: $sessionId) { created } }`);

let db: TestDatabase;
let gateway: RunningGateway;
let account: AccountCredentials;

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startGateway(db.prisma, { observability: createObservability({ databasePool: db.pool }) });
  account = await createAccount(db.prisma, 'Watched');
  await ensureSession(db.prisma, account.accountSid, { sessionId: 'watched' });
});

afterAll(async () => {
  await gateway?.close();
  await db?.close();
});

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(`${gateway.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

/** Scrapes until `done` holds of the metrics (they are recorded as each response closes), or fails after a generous deadline. */
async function scrapeUntil(done: (metrics: Map<string, number>) => boolean): Promise<Map<string, number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const metrics = await scrape();
    if (done(metrics) || Date.now() > deadline) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const requests = (surface: string, operation: string, status: number) => `gateway_requests_total{surface="${surface}",operation="${operation}",status="${status}"}`;

describe('/metrics', () => {
  it('parses as Prometheus text, and its counters move with the requests sent', async () => {
    const before = await scrape();
    const basic = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
    for (let i = 0; i < 3; i++) expect((await graphql(gateway, account.authToken, Counted)).status).toBe(200);
    expect((await graphql(gateway, account.authToken, Created, { sessionId: 'created' })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await fetch(`${gateway.url}/v1/Sessions`, { headers: { authorization: basic } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/v1/Sessions/watched/Messages`, { headers: { authorization: basic } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/v1/conversations/watched/messages`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const expected: [string, number][] = [
      [requests('graphql', 'query', 200), 3],
      [requests('graphql', 'mutation', 200), 1],
      [requests('twilio', 'sessions.list', 200), 2],
      [requests('twilio', 'messages.list', 200), 1],
      [requests('analytics', 'messages.list', 401), 1],
    ];
    const moved = (metrics: Map<string, number>) => expected.every(([series, count]) => (metrics.get(series) ?? 0) - (before.get(series) ?? 0) === count);
    const after = await scrapeUntil(moved);
    for (const [series, count] of expected) expect((after.get(series) ?? 0) - (before.get(series) ?? 0), series).toBe(count);
    const latencies = 'gateway_request_duration_seconds_count{surface="graphql",operation="query"}';
    expect((after.get(latencies) ?? 0) - (before.get(latencies) ?? 0)).toBe(3);
    expect(after.get('gateway_request_duration_seconds_bucket{le="+Inf",surface="twilio",operation="sessions.list"}')).toBeGreaterThanOrEqual(2);
    if (process.env.DATABASE_URL) expect(after.get('gateway_database_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
  });

  it("counts the operations run compiled: a query document's second run and every later one, never a mutation", async () => {
    const compiled = 'gateway_graphql_compiled_executions_total';
    const before = (await scrape()).get(compiled);
    expect(before).toBeDefined();
    for (let run = 0; run < 2; run++) expect((await graphql(gateway, account.authToken, 'mutation { createSession(sessionId: "compiled") { created } }')).status).toBe(200);
    for (let run = 0; run < 3; run++) expect((await graphql(gateway, account.authToken, '{ sessions { totalCount } } # compiled from the second run')).data).toBeTruthy();
    const after = await scrapeUntil((metrics) => metrics.get(compiled)! - before! === 2);
    expect(after.get(compiled)! - before!).toBe(2);
  });

  it('counts open subscriptions', async () => {
    const open = 'gateway_subscriptions_open';
    expect((await scrape()).get(open)).toBe(0);
    const subscription = await subscribe(gateway.url, account.authToken, Watched, { sessionId: 'watched' });
    expect((await scrapeUntil((metrics) => metrics.get(open) === 1)).get(open)).toBe(1);
    subscription.close();
    expect((await scrapeUntil((metrics) => metrics.get(open) === 0)).get(open)).toBe(0);
  });

  it('counts rate-limit refusals that other modules report', async () => {
    const observability = createObservability();
    observability.rateLimitRefused('graphql', 'requests_per_minute');
    const metrics = parsePrometheusText(await observability.registry.metrics());
    expect(metrics.get('gateway_rate_limit_refusals_total{surface="graphql",limit="requests_per_minute"}')).toBe(1);
  });
});

describe('the request log of a gateway process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cg-log-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes one JSON line per request with its request id, account, surface, status and duration, and never a token', async () => {
    const { DATABASE_URL: _own, ...rest } = process.env;
    const env = { ...rest, ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir }), LOG_LEVEL: 'info' };
    const served = await startCli(env);
    try {
      const logLines = () =>
        served
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const sent = [
        await fetch(`${served.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${account.authToken}`, 'x-request-id': 'chosen-by-client-1' },
          body: JSON.stringify({ query: '{ sessions { totalCount } }' }),
        }),
        await fetch(`${served.url}/v1/Sessions`, {
          headers: { authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}` },
        }),
        await fetch(`${served.url}/api/v1/conversations/nothing/messages`, { headers: { 'x-request-id': 'bad id with spaces' } }),
      ];
      const ids = sent.map((response) => response.headers.get('x-request-id')!);
      expect(ids[0]).toBe('chosen-by-client-1');
      expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/);
      const deadline = Date.now() + 10_000;
      while (ids.some((id) => !logLines().some((line) => line.requestId === id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const lines = logLines();
      for (const id of ids) expect(lines.filter((line) => line.requestId === id), id).toHaveLength(1);
      const byId = (id: string) => lines.find((line) => line.requestId === id)!;
      const onPostgres = Boolean(db.url);
      // On the embedded database the process has its own data, so the test account is unknown there.
      expect(byId(ids[0]!)).toMatchObject({ msg: 'request', method: 'POST', route: '/graphql', surface: 'graphql', status: onPostgres ? 200 : 401, durationMs: expect.any(Number) });
      if (onPostgres) expect(byId(ids[0]!)).toMatchObject({ operation: 'query', accountSid: account.accountSid });
      expect(byId(ids[1]!)).toMatchObject({ surface: 'twilio', operation: 'sessions.list', status: onPostgres ? 200 : 401 });
      expect(byId(ids[2]!)).toMatchObject({ surface: 'analytics', status: 401, accountSid: null });
      expect(served.output()).not.toContain(account.authToken);
      expect(served.output()).not.toContain(Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64'));
    } finally {
      await served.stop();
    }
  });
});
