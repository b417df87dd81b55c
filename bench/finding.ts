import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { gatewaySettingsFromEnv } from '../src/config.js';
import { openMessageEvents } from '../src/live/message-events.js';
import { createGateway } from '../src/server/gateway.js';
import { hashAuthToken, newSecret } from '../src/store/accounts.js';
import { openDatabase, type PrismaClient } from '../src/store/database.js';
import type { Prisma } from '../src/store/generated/prisma/client.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { migrationNames, migrationsDir } from '../src/store/schema-engine.js';
import { load, median, pinLoadGenerator, startServer, type Figures, type Request, type Server } from './harness.js';

const usage = `npm run bench:finding -- [--quick] [--rounds N] [--seconds N] [--connections N] [--reuse]

Finding conversations at two store sizes: a filtered page of sessions with their summaries and a
full-text search for a word held by 50 messages, each measured next to the first page of one
session in the same run, on a large store and on one 100 times smaller. Prints req/s, p50 and p99
latency, CPU time per request of the gateway process and the paired ratios to the first page, and
writes EXPLAIN (ANALYZE, BUFFERS) of every statement each request runs.
Each store is built in a database of its own next to DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/test) at the schema before session summaries and search, then
the gateway's migrations bring it up to date, timed. --reuse keeps stores already built.
`;

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
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
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const root = path.resolve(import.meta.dirname, '..');

/** The word the search looks for: held by exactly this many chat messages of the first account, and nothing else. */
const WORD = 'zanzibar';
const WORD_MESSAGES = 50;
/** Chat messages per session: with two sources after every tenth, 100 timeline items. */
const MESSAGES_PER_SESSION = 84;
const ITEMS_PER_SESSION = MESSAGES_PER_SESSION + 2 * Math.floor(MESSAGES_PER_SESSION / 10);
/**
 * Sessions start over a year; the filter keeps those last active between February and November,
 * so that the list's index is entered and left inside the range (four in five sessions: 50 of the
 * small store's first account, too).
 */
const FIRST_SESSION_AT = new Date('2026-01-01T00:00:00Z');
const LAST_MESSAGE_AFTER = new Date('2026-02-01T00:00:00Z');
const LAST_MESSAGE_BEFORE = new Date('2026-11-01T00:00:00Z');

interface Store {
  name: 'large' | 'small';
  sessions: number;
  database: string;
}
const stores: Store[] = [
  { name: 'large', sessions: quick ? 1000 : 10_000, database: quick ? 'cg_finding_quick_large' : 'cg_finding_large' },
  { name: 'small', sessions: 100, database: quick ? 'cg_finding_quick_small' : 'cg_finding_small' },
];

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(', ');
const loadBefore = loadAverage();

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

const urlOf = (database: string) => Object.assign(new URL(base), { pathname: `/${database}` }).toString();

// ---- the stores ----

/**
 * The migrations before session summaries and search, applied as the schema engine would, and
 * recorded in _prisma_migrations with the engine's checksum, so the gateway applies the rest.
 */
async function migrateToBeforeSummaries(client: pg.Client) {
  await client.query(`CREATE TABLE "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
  for (const name of (await migrationNames()).filter((n) => n < '20261206120000')) {
    const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    await client.query(sql);
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (gen_random_uuid(), $1, now(), $2, 1)`, [
      createHash('sha256').update(sql).digest('hex'),
      name,
    ]);
  }
}

/**
 * Two accounts sharing `sessions` sessions three to one, each session of 84 chat messages (users
 * and assistants taking turns, the assistants' with a confidence) and two sources after every
 * tenth: rows as the append writes them, in SQL for speed. The summaries are left to the
 * migration that adds them, as on an existing deployment.
 */
async function fillStore(client: pg.Client, store: Store, accounts: { sid: string; token: string }[]) {
  for (const [index, account] of accounts.entries()) {
    await client.query(`INSERT INTO account (sid, name, "authTokenHash") VALUES ($1, $2, $3)`, [account.sid, `Finding ${index + 1}`, hashAuthToken(account.token)]);
  }
  const [first, second] = accounts;
  await client.query(
    `INSERT INTO session ("accountSid", "sessionId", identity, verified, "lastSeq", "createdAt", "updatedAt")
     SELECT CASE WHEN i % 4 = 0 THEN $2 ELSE $1 END, 'find-' || i, 'user:' || (i % 200), true, $3::int,
            $4::timestamptz + (i - 1) * (interval '365 days' / $5::int), $4::timestamptz + (i - 1) * (interval '365 days' / $5::int)
     FROM generate_series(1, $5::int) AS i`,
    [first!.sid, second!.sid, ITEMS_PER_SESSION, FIRST_SESSION_AT, store.sessions],
  );
  // Message n has seq n + 2 * floor((n - 1) / 10): two sources after every tenth.
  await client.query(
    `WITH words AS (SELECT ARRAY['order','delivery','refund','parcel','invoice','account','password','address','payment','card',
                                  'subscription','plan','upgrade','cancel','return','warranty','shipping','tracking','courier','store',
                                  'discount','coupon','price','receipt','login','email','phone','support','agent','billing',
                                  'contract','renewal','device','battery','screen','repair','exchange','size','colour','stock'] AS w)
     INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "messageId", fingerprint, role, identity, "assistantId",
                                content, meta, text, confidence, "createdAt", "updatedAt")
     SELECT s."accountSid", s.id, n + 2 * ((n - 1) / 10), 'CHAT_MESSAGE', 'TWILIO', 'aia_msg_' || s.id || '_' || n, md5(m.text),
            CASE WHEN n % 2 = 1 THEN 'user' ELSE 'assistant' END, s.identity, 'aia_asst_finding',
            json_build_object('text', m.text), CASE WHEN n % 2 = 0 THEN '{"confidence": 0.8}'::json ELSE '{}'::json END,
            m.text, CASE WHEN n % 2 = 0 THEN 0.8 END,
            s."createdAt" + n * interval '30 seconds', s."createdAt" + n * interval '30 seconds'
     FROM session s, generate_series(1, $1::int) AS n, words,
          LATERAL (SELECT 'Message ' || n || ' about the ' || w[1 + (s.id * 31 + n * 7) % 40] || ' and the ' || w[1 + (s.id * 17 + n * 13) % 40]
                          || ', as discussed ' || (s.id * n) % 997 AS text) AS m`,
    [MESSAGES_PER_SESSION],
  );
  await client.query(
    `INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, url, score, title, "createdAt", "updatedAt")
     SELECT m."accountSid", m."sessionPk", m.seq + k, 'SOURCE', 'TWILIO', m.id, k::text, 'A passage from the delivery policy, part ' || k,
            CASE WHEN k = 1 THEN 'https://example.com/policy' END, 0.9 - k / 10.0, CASE WHEN k = 1 THEN 'Delivery policy' END,
            m."createdAt", m."createdAt"
     FROM timeline_item m, generate_series(1, 2) AS k
     WHERE m.kind = 'CHAT_MESSAGE' AND (m.seq - 1) % 12 = 9`,
  );
  // The word goes into the fifth message of 50 sessions of the first account, spread over its sessions.
  const { rowCount } = await client.query(
    `UPDATE timeline_item t SET text = t.text || ', near ' || $2, content = json_build_object('text', t.text || ', near ' || $2), fingerprint = md5(t.text || ', near ' || $2)
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS nth, count(*) OVER () AS sessions FROM session WHERE "accountSid" = $1) s
     WHERE t."sessionPk" = s.id AND t.seq = 5 AND s.nth % (s.sessions / $3) = 0 AND s.nth / (s.sessions / $3) <= $3`,
    [first!.sid, WORD, WORD_MESSAGES],
  );
  if (rowCount !== WORD_MESSAGES) throw new Error(`the word went into ${rowCount} messages, not ${WORD_MESSAGES}`);
}

interface BuiltStore extends Store {
  url: string;
  accounts: { sid: string; token: string }[];
  items: number;
  sessionCount: number;
  tableBytes: number;
  fillSeconds?: number;
  migrations?: { name: string; seconds: number }[];
}

async function buildStore(store: Store): Promise<BuiltStore> {
  const url = urlOf(store.database);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [store.database])).rowCount;
  let fillSeconds: number | undefined;
  let migrations: { name: string; seconds: number }[] | undefined;
  if (!options.reuse || !exists) {
    await admin.query(`DROP DATABASE IF EXISTS ${store.database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${store.database}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await migrateToBeforeSummaries(client);
    const accounts = [0, 1].map(() => ({ sid: `AC${createHash('sha256').update(newSecret()).digest('hex').slice(0, 32)}`, token: newSecret() }));
    log(`${store.name} store: ${store.sessions} sessions of ${ITEMS_PER_SESSION} items…`);
    let started = Date.now();
    await fillStore(client, store, accounts);
    fillSeconds = (Date.now() - started) / 1000;
    // Kept for --reuse: the tokens are the bench's own, in the bench's own database.
    await client.query(`CREATE TABLE bench_finding_account (sid TEXT PRIMARY KEY, token TEXT NOT NULL, nth INT NOT NULL)`);
    for (const [nth, account] of accounts.entries()) await client.query(`INSERT INTO bench_finding_account VALUES ($1, $2, $3)`, [account.sid, account.token, nth]);
    log(`  filled in ${fillSeconds.toFixed(0)} s; applying the migrations…`);
    // The gateway's own path at start: every pending migration, each timed as the schema engine records it.
    started = Date.now();
    const database = await openDatabase({ url });
    await database.close();
    const applied = await client.query<{ name: string; seconds: number }>(
      `SELECT migration_name AS name, extract(epoch FROM finished_at - started_at)::float8 AS seconds
       FROM _prisma_migrations WHERE migration_name >= '20261206120000' ORDER BY migration_name`,
    );
    migrations = applied.rows;
    log(`  migrated in ${((Date.now() - started) / 1000).toFixed(0)} s: ${migrations.map((m) => `${m.name} ${m.seconds.toFixed(1)} s`).join(', ')}`);
    await client.query('ANALYZE');
    await client.end();
  }
  await admin.end();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const accounts = (await client.query<{ sid: string; token: string }>(`SELECT sid, token FROM bench_finding_account ORDER BY nth`)).rows;
  const [{ items, sessions, bytes }] = (
    await client.query<{ items: number; sessions: number; bytes: number }>(
      `SELECT (SELECT count(*)::int FROM timeline_item) AS items, (SELECT count(*)::int FROM session) AS sessions, pg_total_relation_size('timeline_item')::float8 AS bytes`,
    )
  ).rows as [{ items: number; sessions: number; bytes: number }];
  await verifyStore(client, accounts[0]!.sid);
  await client.end();
  return { ...store, url, accounts, items, sessionCount: sessions, tableBytes: bytes, fillSeconds, migrations };
}

/** The store is what the scenarios claim: every summary equals its session's items, and the word is in exactly 50 messages. */
async function verifyStore(client: pg.Client, accountSid: string) {
  const { rows: wrong } = await client.query(`
    SELECT s.id FROM session s LEFT JOIN (
      SELECT "sessionPk", count(*) AS items, count(*) FILTER (WHERE kind = 'CHAT_MESSAGE') AS messages, count(*) FILTER (WHERE kind = 'SOURCE') AS sources,
             min("createdAt") AS first_at, max("createdAt") AS last_at, coalesce(sum(confidence), 0) AS confidence_sum, count(confidence) AS confidences
      FROM timeline_item GROUP BY "sessionPk") a ON a."sessionPk" = s.id
    WHERE s."itemCount" <> coalesce(a.items, 0) OR s."messageCount" <> coalesce(a.messages, 0) OR s."sourceCount" <> coalesce(a.sources, 0)
       OR s."firstMessageAt" IS DISTINCT FROM a.first_at OR s."lastMessageAt" IS DISTINCT FROM a.last_at
       OR s."confidenceCount" <> coalesce(a.confidences, 0) OR abs(s."confidenceSum" - coalesce(a.confidence_sum, 0)) > 1e-6
    LIMIT 1`);
  if (wrong.length) throw new Error(`session ${wrong[0].id}: its summary does not match its items`);
  const { rows } = await client.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM timeline_item WHERE "accountSid" = $1 AND kind = 'CHAT_MESSAGE' AND text LIKE '%' || $2 || '%'`,
    [accountSid, WORD],
  );
  if (rows[0]!.count !== WORD_MESSAGES) throw new Error(`"${WORD}" is in ${rows[0]!.count} messages, not ${WORD_MESSAGES}`);
}

const built: BuiltStore[] = [];
for (const store of stores) built.push(await buildStore(store));

// ---- a gateway per store, on core 0; the load generator (this process) on core 1 ----
const cores = os.availableParallelism();
pinLoadGenerator();

// ---- scenarios ----
const firstPageQuery = `query FirstPage($session: ID!) { session(id: $session) { messages(first: 50) {
  edges { cursor node { __typename position createdAt
    ... on ConversationMessage { messageId role text }
    ... on ChatMessage { confidence sources { key text url score title } }
    ... on Source { key url } } }
  pageInfo { hasNextPage endCursor } } } }`;
const sessionPageQuery = `query FilteredSessions($after: DateTime!, $before: DateTime!) {
  sessions(first: 50, filter: { lastMessageAfter: $after, lastMessageBefore: $before }, orderBy: LAST_MESSAGE_AT_DESC) {
    edges { cursor node { sessionId identity createdAt
      summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence } } }
    pageInfo { hasNextPage endCursor } } }`;
const searchQuery = `query Search($query: String!) { search(query: $query, first: 50) {
  edges { cursor node { score snippet session { sessionId } item { __typename position createdAt ... on ConversationMessage { messageId role text } } } }
  pageInfo { hasNextPage endCursor } } }`;

const scenarioNames = ['first page', 'session list', 'search'] as const;
type ScenarioName = (typeof scenarioNames)[number];
const descriptions: Record<ScenarioName, string> = {
  'first page': 'session(id) { messages(first: 50) { … sources … } } of one session',
  'session list': `sessions(first: 50, filter: { lastMessageAfter, lastMessageBefore }, orderBy: LAST_MESSAGE_AT_DESC) with every summary field`,
  search: `search(query: "${WORD}", first: 50) with score, snippet, session and message: the word's ${WORD_MESSAGES} messages`,
};
/** What each answer must hold: 50 messages, 50 sessions, the word's 50 hits. */
const expectedEdges: Record<ScenarioName, number> = { 'first page': 50, 'session list': 50, search: WORD_MESSAGES };

function requestOf(scenario: ScenarioName, url: string, token: string): Request {
  const [query, variables] =
    scenario === 'first page'
      ? [firstPageQuery, { session: 'find-7' }]
      : scenario === 'session list'
        ? [sessionPageQuery, { after: LAST_MESSAGE_AFTER.toISOString(), before: LAST_MESSAGE_BEFORE.toISOString() }]
        : [searchQuery, { query: WORD }];
  return { url: `${url}/graphql`, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) };
}

async function check(request: Request, scenario: ScenarioName) {
  const response = await fetch(request.url, request);
  const body = (await response.json()) as { data?: Record<string, { edges?: unknown[]; messages?: { edges: unknown[] } } | null>; errors?: unknown };
  const data = body.data ? Object.values(body.data)[0] : undefined;
  const edges = data?.messages?.edges ?? data?.edges;
  if (response.status !== 200 || body.errors || edges?.length !== expectedEdges[scenario]) {
    throw new Error(`${scenario} answered ${response.status} with ${edges?.length} edges: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

const servers = new Map<string, Server>();
for (const store of built) {
  servers.set(store.name, await startServer('the gateway', ['bin/conversation-gateway.js', 'serve'], { DATABASE_URL: store.url, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' }, /listening on (http:\/\/\S+)/));
}

const contenders = built.flatMap((store) =>
  scenarioNames.map((scenario) => ({ store: store.name, scenario, server: servers.get(store.name)!, request: requestOf(scenario, servers.get(store.name)!.url, store.accounts[0]!.token) })),
);
for (const contender of contenders) {
  await check(contender.request, contender.scenario);
  await load(contender.request, contender.server, { duration: quick ? 1 : 3, connections });
}
const results = new Map<(typeof contenders)[number], Figures[]>(contenders.map((contender) => [contender, []]));
for (let round = 0; round < rounds; round++) {
  log(`round ${round + 1} of ${rounds}`);
  // Alternate the order, so that drift on a noisy machine falls on every contender alike.
  for (const contender of round % 2 ? [...contenders].reverse() : contenders) results.get(contender)!.push(await load(contender.request, contender.server, { duration: seconds, connections }));
}

// ---- the statements of each request, explained, on an in-process gateway over each store ----
/** A client whose row reader also records the statements it runs (every read the scenarios make goes through it). */
function recordingClient(prisma: PrismaClient, recorded: Prisma.Sql[]): PrismaClient {
  return new Proxy(prisma, {
    get(target, property) {
      if (property === '$readRows') return (query: Prisma.Sql) => (recorded.push(query), target.$readRows(query));
      return Reflect.get(target, property, target);
    },
  });
}

const explained: Record<string, Record<string, { statements: number; plans: string[] }>> = {};
for (const store of built) {
  const database = await openDatabase({ url: store.url, migrate: false });
  const recorded: Prisma.Sql[] = [];
  let statements = 0;
  const counting = await openDatabase({ url: store.url, migrate: false, onStatement: () => statements++ });
  const sealingKey = await loadSealingKey(database.prisma);
  const inProcess = createGateway({
    prisma: recordingClient(counting.prisma, recorded),
    events: await openMessageEvents(),
    sealingKey,
    graphiql: false,
    settings: gatewaySettingsFromEnv(process.env),
  });
  await new Promise<void>((resolve) => inProcess.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(inProcess.address() as AddressInfo).port}`;
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  explained[store.name] = {};
  for (const scenario of scenarioNames) {
    const request = requestOf(scenario, url, store.accounts[0]!.token);
    await check(request, scenario);
    recorded.length = 0;
    statements = 0;
    await check(request, scenario);
    const plans: string[] = [];
    for (const query of recorded) {
      // The second of two runs: what a request finds once the pages it reads are in memory.
      await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values as unknown[]);
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.text}`, query.values as unknown[]);
      plans.push(`${query.text.replace(/\n\s*\n/g, '\n').trim()}\n\n${rows.map((row) => row['QUERY PLAN']).join('\n')}`);
    }
    explained[store.name]![scenario] = { statements, plans };
  }
  await client.end();
  inProcess.close();
  await counting.close();
  await database.close();
}

// ---- the tables ----
interface Row {
  store: string;
  scenario: ScenarioName;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
  /** Medians of paired ratios to the first page of the same store and round: req/s, p50, CPU. */
  vsFirstPage: { requestsPerSecond: number; p50: number; cpu: number };
}
const rows: Row[] = contenders.map((contender) => {
  const figures = results.get(contender)!;
  const firstPage = results.get(contenders.find((other) => other.store === contender.store && other.scenario === 'first page')!)!;
  return {
    store: contender.store,
    scenario: contender.scenario,
    requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
    p50: median(figures.map((f) => f.p50)),
    p99: median(figures.map((f) => f.p99)),
    cpuPerRequest: median(figures.map((f) => f.cpuPerRequest)),
    vsFirstPage: {
      requestsPerSecond: median(figures.map((f, i) => f.requestsPerSecond / firstPage[i]!.requestsPerSecond)),
      p50: median(figures.map((f, i) => f.p50 / Math.max(firstPage[i]!.p50, 0.001))),
      cpu: median(figures.map((f, i) => f.cpuPerRequest / Math.max(firstPage[i]!.cpuPerRequest, 0.001))),
    },
  };
});

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const storeLines = built.map(
  (store) =>
    `- ${store.name}: ${store.items.toLocaleString('en')} timeline items (${(store.tableBytes / 2 ** 20).toFixed(0)} MB with indexes) in ${store.sessionCount.toLocaleString('en')} sessions of two accounts` +
    (store.migrations ? `; filled in ${store.fillSeconds!.toFixed(0)} s, migrated in ${store.migrations.map((m) => `${m.name} ${m.seconds.toFixed(1)} s`).join(', ')}` : ' (reused)'),
);
const table = [
  `| store | scenario | req/s | p50 ms | p99 ms | CPU ms/req | vs first page: req/s, p50, CPU | statements |`,
  `| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |`,
  ...rows.map(
    (row) =>
      `| ${row.store} | ${row.scenario} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.cpuPerRequest.toFixed(2)} | ` +
      `${row.vsFirstPage.requestsPerSecond.toFixed(2)}x, ${row.vsFirstPage.p50.toFixed(2)}x, ${row.vsFirstPage.cpu.toFixed(2)}x | ${explained[row.store]![row.scenario].statements} |`,
  ),
];
const summary = [
  ...storeLines,
  '',
  ...scenarioNames.map((scenario) => `- ${scenario}: ${descriptions[scenario]}`),
  '',
  ...table,
  '',
  `${rounds} round(s) of ${seconds} s, ${connections} connections; gateways on core 0, load generator on core 1. ${machine}.`,
  `Load average (1, 5, 15 min): ${loadBefore} at the start, ${loadAverage()} at the end.`,
].join('\n');
console.log(summary);

const plans = built
  .flatMap((store) =>
    scenarioNames.map(
      (scenario) =>
        `### ${store.name} store: ${scenario}\n\n${explained[store.name]![scenario].plans.map((plan) => `\`\`\`\n${plan}\n\`\`\``).join('\n\n')}`,
    ),
  )
  .join('\n\n');
await mkdir(path.join(root, 'bench/results'), { recursive: true });
const stem = path.join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}-finding${quick ? '-quick' : ''}`);
await writeFile(`${stem}.json`, `${JSON.stringify({ machine, loadBefore, loadAfter: loadAverage(), quick, rounds, seconds, connections, stores: built.map(({ accounts: _accounts, ...store }) => store), rows, explained }, null, 2)}\n`);
await writeFile(`${stem}-explain.md`, `${plans}\n`);
log(`written to ${path.relative(process.cwd(), stem)}.json and -explain.md`);
process.exit(0);
