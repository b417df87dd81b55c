import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { gatewaySettingsFromEnv } from '../src/config.js';
import { openMessageEvents } from '../src/live/message-events.js';
import { createGateway } from '../src/server/gateway.js';
import { createAccount } from '../src/store/accounts.js';
import { openDatabase } from '../src/store/database.js';
import { timelineCursor } from '../src/store/cursors.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { createDataset, type DatasetSize } from './dataset.js';
import { createEmbeddedDataset } from './embedded.js';
import { findPostmaster, load, median, pinLoadGenerator, startServer, stopServers, type Figures, type Request, type Server } from './harness.js';

const usage = `npm run bench -- [--quick] [--rounds N] [--seconds N] [--connections N]

Benchmarks the gateway against PostGraphile v5 and a hand-written node:http + pg handler on the
same data, in the same run, and prints median req/s, p50 and p99 latency and CPU time per request
(read from /proc/<pid>/stat of each server process, and of the PostgreSQL backends serving it)
with paired ratios, and the gateway's memory on PostgreSQL and on the embedded default (PGlite).
Needs PostgreSQL (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test): it builds
its dataset in a database of its own next to it. --quick is a short smoke run on a small dataset.
`;

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  process.stdout.write(usage);
  process.exit(0);
}

const quick = options.quick;
const rounds = Number(options.rounds ?? (quick ? 1 : 5));
const seconds = Number(options.seconds ?? (quick ? 1 : 5));
const connections = Number(options.connections);
const quickSize: DatasetSize = { sessions: 50, messagesPerSession: 100, longSessionMessages: 10_000 };
const size: DatasetSize = quick ? quickSize : { sessions: 1000, messagesPerSession: 1000, longSessionMessages: 100_000 };
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const root = path.resolve(import.meta.dirname, '..');

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(', ');
const loadBefore = loadAverage();

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

// ---- the dataset, in a database of its own ----
const databaseName = quick ? 'cg_bench_quick' : 'cg_bench';
const databaseUrl = Object.assign(new URL(base), { pathname: `/${databaseName}` }).toString();
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${databaseName}`);
await admin.end();
const statements: string[] = [];
const database = await openDatabase({ url: databaseUrl, onStatement: (sql) => statements.push(sql) });
const account = await createAccount(database.prisma, 'Bench');
let started = Date.now();
log(`building the dataset: ${size.sessions} sessions x ${size.messagesPerSession} messages and one of ${size.longSessionMessages}…`);
await createDataset(database.prisma, account.accountSid, size);
log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

// ---- the servers, on core 0; the load generator (this process) on core 1 ----
const cores = os.availableParallelism();
pinLoadGenerator();
const gateway = await startServer('the gateway', ['bin/conversation-gateway.js', 'serve'], { DATABASE_URL: databaseUrl, PORT: '5677', HOST: '127.0.0.1', NODE_ENV: 'production' }, /listening on (http:\/\/\S+)/);
const postgraphile = await startServer('PostGraphile', ['node', '-r', './bench/peers/polyfill.cjs', 'bench/peers/postgraphile.mjs'], { DATABASE_URL: databaseUrl, PORT: '5678' }, /listening on (http:\/\/\S+)/);
const raw = await startServer('the raw handler', ['node', 'bench/peers/raw-handler.mjs'], { DATABASE_URL: databaseUrl, PORT: '5679' }, /listening on (http:\/\/\S+)/);
const idleRss = rssMiB(gateway.child.pid!, 'VmRSS');

// ---- scenarios ----
const bearer = { authorization: `Bearer ${account.authToken}`, 'content-type': 'application/json' };
const basic = { authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}` };
const gql = (url: string, query: string, variables: object, headers: Record<string, string> = bearer): Request => ({
  url: `${url}/graphql`,
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables }),
});

const firstPageQuery = `query FirstPage($session: ID!) { session(id: $session) { messages(first: 50) {
  edges { cursor node { __typename position createdAt
    ... on ConversationMessage { messageId role text }
    ... on ChatMessage { confidence sources { key text url score title } }
    ... on Source { key url } } }
  pageInfo { hasNextPage endCursor } } } }`;
const postgraphileFirstPage = `query FirstPage($account: String!, $session: String!) {
  allSessions(condition: { accountSid: $account, sessionId: $session }, first: 1) { nodes { timelineItemsBySessionPk(first: 50, orderBy: SEQ_ASC) {
    edges { cursor node { kind seq createdAt messageId role text confidence sourceKey url
      timelineItemsByParentId(orderBy: SEQ_ASC) { nodes { sourceKey text url score title } } } }
    pageInfo { hasNextPage endCursor } } } } }`;
const deepPageQuery = `query DeepPage($session: ID!, $after: String!) { session(id: $session) { messages(first: 50, after: $after) {
  edges { cursor node { __typename position createdAt
    ... on ConversationMessage { messageId role text }
    ... on ChatMessage { confidence sources { key text url score title } }
    ... on Source { key url } } }
  pageInfo { hasNextPage endCursor } } } }`;
const manySessionsQuery = `query ManySessions { sessions(first: 20) { edges { node { sessionId messages(first: 10) {
  edges { node { __typename position ... on ConversationMessage { messageId role text } ... on ChatMessage { sources { key text url score title } } } } } } } } }`;

// A cursor deep inside the long session: where its 90,000th item (or the quick dataset's 9,000th) stands.
const deepSeq = quick ? 9000 : 90_000;
const longSession = await database.prisma.session.findFirstOrThrow({ where: { name: 'long' } });
const sealingKey = await loadSealingKey(database.prisma);
const deepCursor = timelineCursor(sealingKey, longSession.id, deepSeq);

interface Scenario {
  name: string;
  description: string;
  contenders: Record<string, { server: Server; request: Request }>;
}

const scenarios: Scenario[] = [
  {
    name: '1 first page',
    description: 'the first 50 messages of a session, with sources',
    contenders: {
      gateway: { server: gateway, request: gql(gateway.url, firstPageQuery, { session: 'bench-7' }) },
      postgraphile: { server: postgraphile, request: gql(postgraphile.url, postgraphileFirstPage, { account: account.accountSid, session: 'bench-7' }, {}) },
      raw: { server: raw, request: { url: `${raw.url}/first-page?account=${account.accountSid}&session=bench-7` } },
    },
  },
  {
    name: '2 deep page',
    description: `50 messages after item ${deepSeq} of the ${size.longSessionMessages}-message session, by cursor`,
    contenders: {
      'gateway deep': { server: gateway, request: gql(gateway.url, deepPageQuery, { session: 'long', after: deepCursor }) },
      'gateway first': { server: gateway, request: gql(gateway.url, firstPageQuery, { session: 'long' }) },
    },
  },
  {
    name: '3 Twilio page',
    description: 'the page of scenario 1 through GET /v1/Sessions/{id}/Messages',
    contenders: {
      twilio: { server: gateway, request: { url: `${gateway.url}/v1/Sessions/bench-7/Messages?PageSize=50`, headers: basic } },
      graphql: { server: gateway, request: gql(gateway.url, firstPageQuery, { session: 'bench-7' }) },
    },
  },
  {
    name: '4 analytics array',
    description: `the analytics array of a ${size.messagesPerSession}-message session`,
    contenders: {
      gateway: { server: gateway, request: { url: `${gateway.url}/api/v1/conversations/bench-7/messages`, headers: bearer } },
      raw: { server: raw, request: { url: `${raw.url}/analytics?account=${account.accountSid}&session=bench-7` } },
    },
  },
  {
    name: '5 twenty sessions',
    description: '20 sessions x their first 10 messages with sources, in one GraphQL query',
    contenders: { gateway: { server: gateway, request: gql(gateway.url, manySessionsQuery, {}) } },
  },
];

async function check(request: Request, label: string) {
  const response = await fetch(request.url, { method: request.method ?? 'GET', headers: request.headers, body: request.body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`${label} answered ${response.status}: ${text.slice(0, 500)}`);
}

const postmaster = await findPostmaster(databaseUrl);
const backends = postmaster === undefined ? undefined : { postmaster, databaseName };

function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

const results: Record<string, Record<string, Figures[]>> = {};
for (const scenario of scenarios) {
  log(`scenario ${scenario.name}: ${scenario.description}`);
  const labels = Object.keys(scenario.contenders);
  for (const label of labels) {
    const { server, request } = scenario.contenders[label]!;
    await check(request, `${scenario.name} ${label}`);
    await load(request, server, { duration: quick ? 1 : 3, connections, backends });
  }
  results[scenario.name] = Object.fromEntries(labels.map((label) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so that drift on a noisy machine falls on every contender alike.
    for (const label of round % 2 ? [...labels].reverse() : labels) {
      const { server, request } = scenario.contenders[label]!;
      results[scenario.name]![label]!.push(await load(request, server, { duration: seconds, connections, backends }));
    }
  }
}

// ---- statements per request for scenario 5, counted on an in-process gateway over the same data ----
const inProcess = createGateway({ prisma: database.prisma, events: await openMessageEvents(), sealingKey, graphiql: false, settings: gatewaySettingsFromEnv(process.env) });
await new Promise<void>((resolve) => inProcess.listen(0, '127.0.0.1', resolve));
const inProcessUrl = `http://127.0.0.1:${(inProcess.address() as AddressInfo).port}`;
await check(gql(inProcessUrl, manySessionsQuery, {}), 'warm-up');
statements.length = 0;
await check(gql(inProcessUrl, manySessionsQuery, {}), 'statement count');
const statementsPerRequest = statements.length;
inProcess.close();

const peakRss = rssMiB(gateway.child.pid!, 'VmHWM');
stopServers();

// ---- the embedded default (PGlite): the quick run's dataset in a data directory, a gateway started
// on it as `npm start` starts one, its RSS idle after start and at peak after scenario 1's request
// under load. The quick dataset in every run: the full one takes PGlite well over ten minutes to
// write (800 MB in 13 minutes, unfinished), and scenario 1's page is the same 50 messages in both. ----
const embeddedDataDir = await mkdtemp(path.join(os.tmpdir(), 'cg-bench-pglite-'));
started = Date.now();
log(`the embedded default: building the quick dataset in a PGlite data directory (${quickSize.sessions} sessions x ${quickSize.messagesPerSession} messages and one of ${quickSize.longSessionMessages})…`);
const embeddedAccount = await createEmbeddedDataset(embeddedDataDir, quickSize);
log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
const embedded = await startServer('the gateway on PGlite', ['bin/conversation-gateway.js', 'serve'], { DATABASE_URL: '', REDIS_URL: '', DATA_DIR: embeddedDataDir, PORT: '5680', HOST: '127.0.0.1', NODE_ENV: 'production' }, /listening on (http:\/\/\S+)/);
const embeddedIdleRss = rssMiB(embedded.child.pid!, 'VmRSS');
const embeddedFirstPage = gql(embedded.url, firstPageQuery, { session: 'bench-7' }, { ...bearer, authorization: `Bearer ${embeddedAccount.authToken}` });
await check(embeddedFirstPage, 'the gateway on PGlite');
// As long as the gateway on PostgreSQL served scenario 1: a warm-up and every round.
await load(embeddedFirstPage, embedded, { duration: (quick ? 1 : 3) + rounds * seconds, connections, backends });
const embeddedPeakRss = rssMiB(embedded.child.pid!, 'VmHWM');
stopServers();
await rm(embeddedDataDir, { recursive: true, force: true });

// ---- the table ----
interface Row {
  scenario: string;
  contender: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
  pgCpuPerRequest: number | null;
  ratios: Record<string, number>;
}
const rows: Row[] = [];
for (const [scenario, byLabel] of Object.entries(results)) {
  const labels = Object.keys(byLabel);
  for (const label of labels) {
    const figures = byLabel[label]!;
    const ratios: Record<string, number> = {};
    for (const other of labels.filter((l) => l !== label)) {
      // Medians of paired ratios: round i of one contender against round i of the other.
      ratios[`req/s vs ${other}`] = median(figures.map((f, i) => f.requestsPerSecond / byLabel[other]![i]!.requestsPerSecond));
      ratios[`p50 vs ${other}`] = median(figures.map((f, i) => f.p50 / Math.max(byLabel[other]![i]!.p50, 0.001)));
      ratios[`CPU vs ${other}`] = median(figures.map((f, i) => f.cpuPerRequest / Math.max(byLabel[other]![i]!.cpuPerRequest, 0.001)));
      if (postmaster !== undefined) ratios[`PG CPU vs ${other}`] = median(figures.map((f, i) => f.pgCpuPerRequest! / Math.max(byLabel[other]![i]!.pgCpuPerRequest!, 0.001)));
    }
    rows.push({
      scenario,
      contender: label,
      requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
      p50: median(figures.map((f) => f.p50)),
      p99: median(figures.map((f) => f.p99)),
      cpuPerRequest: median(figures.map((f) => f.cpuPerRequest)),
      pgCpuPerRequest: postmaster === undefined ? null : median(figures.map((f) => f.pgCpuPerRequest!)),
      ratios,
    });
  }
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const lines = [
  `| scenario | contender | req/s | p50 ms | p99 ms | CPU ms/req | PG CPU ms/req | ratios (medians of paired rounds) |`,
  `| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |`,
  ...rows.map(
    (row) =>
      `| ${row.scenario} | ${row.contender} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.cpuPerRequest.toFixed(2)} | ${row.pgCpuPerRequest?.toFixed(2) ?? 'n/a'} | ${Object.entries(row.ratios)
        .map(([name, value]) => `${name} ${value.toFixed(2)}x`)
        .join(', ')} |`,
  ),
];
const summary = [
  ...lines,
  '',
  `Scenario 5 sends ${statementsPerRequest} SQL statements per request. Gateway RSS: ${idleRss.toFixed(0)} MiB idle after start, ${peakRss.toFixed(0)} MiB at peak.`,
  `On the embedded default (PGlite, the quick dataset): ${embeddedIdleRss.toFixed(0)} MiB idle after start, ${embeddedPeakRss.toFixed(0)} MiB at peak after scenario 1's request under load.`,
  ...(postmaster === undefined ? ['PostgreSQL runs where this machine cannot see its processes, so its CPU time is not measured (n/a).'] : []),
  `${rounds} round(s) of ${seconds} s, ${connections} connections; servers on core 0, load generator on core 1. ${machine}.`,
  `Load average (1, 5, 15 min): ${loadBefore} at the start, ${loadAverage()} at the end.`,
].join('\n');
console.log(summary);

await mkdir(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
await writeFile(file, `${JSON.stringify({ machine, loadBefore, loadAfter: loadAverage(), quick, rounds, seconds, connections, size, statementsPerRequest, idleRss, peakRss, embeddedSize: quickSize, embeddedIdleRss, embeddedPeakRss, rows, raw: results }, null, 2)}\n`);
log(`written to ${path.relative(process.cwd(), file)}`);
stopServers();
await database.close();
process.exit(0);
