import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import type { AccountCredentials } from '../src/store/accounts.js';
import { startCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { graphql, startGateway, type RunningGateway } from './support/gateway.js';
import { parsePrometheusText } from './support/prometheus.js';

// The README's examples, run as a reader would paste them, against a gateway holding the demo
// data. Only the origin changes: the README's gateway listens on localhost:4000, the test's on a
// free port.

const root = path.resolve(import.meta.dirname, '..');
const README_ORIGIN = 'http://localhost:4000';
const run = promisify(execFile);

let readme: string;
let db: TestDatabase;
let gateway: RunningGateway;
let demo: AccountCredentials;

/** The README's fenced code blocks in the given language ("" for blocks without one). */
function codeBlocks(language: string): string[] {
  return [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((match) => match[1] === language).map((match) => match[2]!);
}

beforeAll(async () => {
  readme = await readFile(path.join(root, 'README.md'), 'utf8');
  db = await openTestDatabase();
  demo = await seedDemo(db.prisma);
  gateway = await startGateway(db.prisma);
});

afterAll(async () => {
  await gateway?.close();
  await db?.close();
});

describe('the README, run as written', () => {
  it('its GraphQL example runs on the demo data, and pages on with the cursor it returns', async () => {
    const [example] = codeBlocks('graphql');
    expect(example).toBeDefined();
    const first = await graphql<any, { cursor?: string }>(gateway, demo.authToken, example!);
    expect(first.errors).toBeUndefined();
    expect(first.data.sessions.totalCount).toBe(3);
    expect(first.data.session.messages.edges.length).toBeGreaterThan(0);
    const next = await graphql<any, { cursor?: string }>(gateway, demo.authToken, example!, { cursor: first.data.session.messages.edges[0].cursor });
    expect(next.errors).toBeUndefined();
    expect(next.data.session.messages.edges).toEqual(first.data.session.messages.edges.slice(1));
  });

  it('its curl lines answer with what they promise', async () => {
    const lines = codeBlocks('sh')
      .flatMap((block) => block.split('\n'))
      .filter((line) => line.startsWith('curl '));
    expect(lines).toHaveLength(4);
    const env = { ...process.env, ACCOUNT_SID: demo.accountSid, TOKEN: demo.authToken };
    const outputs: string[] = [];
    for (const line of lines) outputs.push((await run('sh', ['-c', line.replaceAll(README_ORIGIN, gateway.url)], { env })).stdout);
    expect(JSON.parse(outputs[0]!).data.sessions.totalCount).toBe(3);
    expect(JSON.parse(outputs[1]!)).toMatchObject({ messages: [{ role: 'user' }, {}], meta: { page_size: 2, key: 'messages' } });
    expect(JSON.parse(outputs[2]!)).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'user' })]));
    expect(parsePrometheusText(outputs[3]!).get('gateway_requests_total{surface="twilio",operation="messages.list",status="200"}')).toBe(1);
  });

  it('its Twilio snippet, importing conversation-gateway/twilio, lists a session through the helper library', async () => {
    const [snippet] = codeBlocks('js');
    expect(snippet).toContain("from 'conversation-gateway/twilio'");
    // Inside the package, so that `conversation-gateway/twilio` resolves to this package as it would for a user.
    await mkdir(path.join(root, 'test-results'), { recursive: true });
    const dir = await mkdtemp(path.join(root, 'test-results', 'readme-'));
    try {
      const file = path.join(dir, 'snippet.mjs');
      await writeFile(file, snippet!.replaceAll(README_ORIGIN, gateway.url));
      const { TWILIO_REGION: _region, TWILIO_EDGE: _edge, ...rest } = process.env;
      const { stdout } = await run(process.execPath, [file], { env: { ...rest, ACCOUNT_SID: demo.accountSid, TOKEN: demo.authToken } });
      const listed = await db.prisma.timelineItem.findMany({
        where: { session: { name: 'billing-late-fee' }, kind: { not: 'SOURCE' } },
        orderBy: { seq: 'asc' },
      });
      expect(stdout.trim().split('\n')).toEqual(listed.map((item) => `${item.role} ${JSON.stringify(item.content)}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the start-up lines it shows are the ones a first start prints', async () => {
    const shown = codeBlocks('').find((block) => block.startsWith('conversation-gateway listening'))!;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cg-readme-'));
    // A bare machine, as the README's quick start has it: no PostgreSQL, no Redis.
    const { DATABASE_URL: _database, REDIS_URL: _redis, ...rest } = process.env;
    const served = await startCli({ ...rest, DATA_DIR: dataDir, NODE_ENV: 'development' });
    try {
      const printed = served.output().trimEnd().split('\n');
      const patterns = shown
        .trimEnd()
        .split('\n')
        .map((line) => {
          const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('…', '.+');
          return new RegExp(`^${escaped.replaceAll(README_ORIGIN.replace(/[.]/g, '\\.'), served.url).replaceAll('\\./data', dataDir)}$`);
        });
      expect(printed).toHaveLength(patterns.length);
      printed.forEach((line, index) => expect(line).toMatch(patterns[index]!));
    } finally {
      await served.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
