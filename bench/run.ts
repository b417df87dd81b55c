import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
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
const pin = (core: number) => (cores > 1 ? ['taskset', '-c', String(core)] : []);
const children: ChildProcess[] = [];

/** A contender's server: a process of its own, so its CPU time and memory are its own. */
interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(name: string, command: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
  const [file, ...args] = [...pin(0), ...command];
  const child = spawn(file!, args, { env: { ...process.env, ...env }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      // Once started, the server's output (the gateway's request log) is read and dropped: kept and
      // searched, it would cost the load generator's core more with every line and, read slowly,
      // hold back the gateway's log writes.
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData).resume();
        child.stderr!.off('data', onData).resume();
        resolve({ url: match[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
}

function stopServers() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('exit', stopServers);

if (cores > 1) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const gateway = await startServer('the gateway', ['bin/conversation-gateway.js', 'serve'], { DATABASE_URL: databaseUrl, PORT: '5677', HOST: '127.0.0.1', NODE_ENV: 'production' }, /listening on (http:\/\/\S+)/);
const postgraphile = await startServer('PostGraphile', ['node', '-r', './bench/peers/polyfill.cjs', 'bench/peers/postgraphile.mjs'], { DATABASE_URL: databaseUrl, PORT: '5678' }, /listening on (http:\/\/\S+)/);
const raw = await startServer('the raw handler', ['node', 'bench/peers/raw-handler.mjs'], { DATABASE_URL: databaseUrl, PORT: '5679' }, /listening on (http:\/\/\S+)/);
const idleRss = rssMiB(gateway.child.pid!, 'VmRSS');

// ---- scenarios ----
interface Request {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

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

/** The fields of /proc/<pid>/stat from field 3 on: the command name (field 2) may hold spaces. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The CPU time (user + system, fields 14 and 15, in clock ticks) a process has used so far, in milliseconds. */
function cpuMilliseconds(pid: number, fields = statFields(pid)): number {
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}
const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The postmaster, as the parent of a backend of ours; undefined when PostgreSQL runs on another machine. */
async function findPostmaster(): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  // Read while the backend is alive: it exits with our connection.
  try {
    return readFileSync(`/proc/${rows[0]!.pid}/comm`, 'utf8').trim() === 'postgres' ? Number(statFields(rows[0]!.pid)[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}
const postmaster = await findPostmaster();

/**
 * The CPU time so far of each PostgreSQL backend serving the bench's database: the postmaster's
 * children whose process title names it, so that other databases' work on a shared server is left out.
 */
function backendCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const fields = statFields(pid);
      if (Number(fields[1]) !== postmaster) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]+/).includes(databaseName)) cpu.set(pid, cpuMilliseconds(pid, fields));
    } catch {
      // The process ended while we looked.
    }
  }
  return cpu;
}

/** PostgreSQL's CPU time between two readings; a backend that ended in between is missed (pools keep theirs open under load). */
function backendCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of backendCpu()) total += cpu - (before.get(pid) ?? 0);
  return total;
}

function rssMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/**
 * One measured round: req/s and latency from autocannon, and the CPU time the answering server
 * and PostgreSQL spent per request, which stays meaningful when other work shares the machine.
 * Contenders run one at a time, so PostgreSQL's CPU in a round is the answering server's doing.
 */
async function load(request: Request, duration: number, server: Server) {
  const cpuBefore = cpuMilliseconds(server.child.pid!);
  const pgCpuBefore = postmaster === undefined ? undefined : backendCpu();
  const result = await autocannon({ ...request, connections, duration, pipelining: 1 });
  const cpu = cpuMilliseconds(server.child.pid!) - cpuBefore;
  const pgCpu = pgCpuBefore === undefined ? null : backendCpuSince(pgCpuBefore);
  if (result.non2xx || result.errors) throw new Error(`${request.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors under load`);
  const requests = Math.max(result.requests.total, 1);
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuPerRequest: cpu / requests, pgCpuPerRequest: pgCpu === null ? null : pgCpu / requests };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

type Figures = Awaited<ReturnType<typeof load>>;
const results: Record<string, Record<string, Figures[]>> = {};
for (const scenario of scenarios) {
  log(`scenario ${scenario.name}: ${scenario.description}`);
  const labels = Object.keys(scenario.contenders);
  for (const label of labels) {
    const { server, request } = scenario.contenders[label]!;
    await check(request, `${scenario.name} ${label}`);
    await load(request, quick ? 1 : 3, server);
  }
  results[scenario.name] = Object.fromEntries(labels.map((label) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so that drift on a noisy machine falls on every contender alike.
    for (const label of round % 2 ? [...labels].reverse() : labels) {
      const { server, request } = scenario.contenders[label]!;
      results[scenario.name]![label]!.push(await load(request, seconds, server));
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
await load(embeddedFirstPage, (quick ? 1 : 3) + rounds * seconds, embedded);
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
