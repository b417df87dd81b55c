import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAccount, type ExportOptions } from '../src/export/exporter.js';
import { analyticsMessageToStore, type AnalyticsMessage } from '../src/models/analytics-message.js';
import { twilioMessageToStore, type TwilioMessage } from '../src/models/twilio-message.js';
import { createAccount, hashAuthToken } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import type { PrismaClient } from '../src/store/database.js';
import { ensureSession } from '../src/store/sessions.js';
import { runCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { messagesSaying, seededSession } from './support/erasure.js';
import { graphql, startGateway, type RunningGateway } from './support/gateway.js';
import { basicAuth } from './support/http.js';
import { createTimeline } from './support/timeline.js';

// `conversation-gateway export` as a user runs it, and its archive imported into an empty database:
// every GraphQL, Twilio and analytics answer about the account must read the same afterwards.

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(32).toString('hex');
const otherSid = `AC${randomBytes(16).toString('hex')}`;
const otherToken = randomBytes(32).toString('hex');
const run = randomBytes(4).toString('hex');
const voiceId = `voice:CA${run}`;
const chatId = `session_chat_${run}`;
const generatedId = `session_generated_${run}`;
const emptyId = `session_empty_${run}`;
// In creation order: the generated session is created last, now.
const sessionIds = [voiceId, chatId, emptyId, generatedId];

const voiceMessages: TwilioMessage[] = [
  ['user', { text: 'Hi' }, {}, '10:00:00', '10:00:00'],
  ['tool', { name: 'lookup_order', arguments: { order: 7 }, output: { status: 'shipped' } }, { duration_ms: 12 }, '10:00:01', '10:00:05'],
  ['knowledge', { query: 'refund policy' }, {}, '10:00:02', '10:00:02'],
  ['assistant', { text: 'Refunds take 5 days. ✅', type: 'text' }, { confidence: 0.9 }, '10:00:03', '10:00:03'],
  ['human_agent', { text: 'I can help too.' }, {}, '10:00:04', '10:00:09'],
].map(([role, content, meta, created, updated], index) => ({
  id: `aia_msg_${run}_${index + 1}`,
  account_sid: accountSid,
  assistant_id: 'aia_asst_export',
  session_id: voiceId,
  identity: 'user:+15550001',
  role: role as string,
  content: content as Record<string, unknown>,
  meta: meta as Record<string, unknown>,
  date_created: `2025-01-01T${created}Z`,
  date_updated: `2025-01-01T${updated}Z`,
}));

const chatMessages: AnalyticsMessage[] = [
  { id: `chat_${run}_1`, role: 'user', content: 'Hello 👋', timestamp: '2025-01-02T09:00:00.123Z' },
  {
    id: `chat_${run}_2`,
    role: 'assistant',
    content: 'See [1] and [2].',
    timestamp: '2025-01-02T09:00:02.000Z',
    metadata: {
      sources: { '1': { text: 'First source', url: 'https://example.com/a', score: 0.8, title: 'A' }, '2': { text: 'Second source', url: null, score: 0.5 } },
      confidence: 0.75,
      model: 'm-1',
    },
  },
  { id: `chat_${run}_3`, role: 'human_agent', content: 'Taking over.', timestamp: '2025-01-02T09:01:00.000Z', metadata: {} },
  { id: `chat_${run}_4`, role: 'assistant', content: '', timestamp: '2025-01-02T09:02:00.000Z', metadata: { confidence: 0.6 } },
];

/**
 * Where a database lives for the CLI and for this process in turn: a throwaway PostgreSQL database
 * (open throughout), or an embedded one in a directory, opened here only while the CLI is not.
 */
interface Place {
  env: NodeJS.ProcessEnv;
  open(): Promise<TestDatabase>;
  release(db: TestDatabase): Promise<void>;
  dispose(): Promise<void>;
}

let dir: string;
const places: Place[] = [];

async function place(empty: boolean): Promise<Place> {
  const { DATABASE_URL: base, ...rest } = process.env;
  let made: Place;
  if (base) {
    // On PostgreSQL an empty database is a fresh one, migrated and holding no rows.
    const db = await openTestDatabase();
    made = { env: { ...rest, DATABASE_URL: db.url }, open: async () => db, release: async () => {}, dispose: () => db.close() };
  } else {
    const dataDir = path.join(dir, `data-${places.length}`);
    if (!empty) await (await openTestDatabase(dataDir)).close();
    made = { env: { ...rest, DATA_DIR: dataDir }, open: () => openTestDatabase(dataDir), release: (db) => db.close(), dispose: async () => {} };
  }
  places.push(made);
  return made;
}

async function withDatabase<T>(where: Place, work: (db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await where.open();
  try {
    return await work(db);
  } finally {
    await where.release(db);
  }
}

function withGateway<T>(where: Place, work: (gateway: RunningGateway, db: TestDatabase) => Promise<T>): Promise<T> {
  return withDatabase(where, async (db) => {
    const gateway = await startGateway(db.prisma);
    try {
      return await work(gateway, db);
    } finally {
      await gateway.close();
    }
  });
}

const SOURCE_FIELDS = 'id key text url score title position createdAt updatedAt accountSid';
const SESSION_FIELDS = `id sessionId name accountSid identity verified createdAt updatedAt assistant { assistantId }
  summary { averageConfidence firstMessageAt lastMessageAt itemCount messageCount toolCallCount knowledgeCallCount sourceCount }`;
const SESSIONS = `{ account { sid name createdAt } sessions(first: 50) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ${SESSION_FIELDS} } } } }`;
const MESSAGES = `query ($id: ID!) { session(id: $id) { ${SESSION_FIELDS}
  messages(first: 40) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node {
    __typename id position createdAt updatedAt accountSid
    ... on ConversationMessage { messageId role origin identity assistantId content meta text }
    ... on ChatMessage { confidence sources { ${SOURCE_FIELDS} } }
    ... on ToolCall { toolName }
    ... on KnowledgeCall { sources { ${SOURCE_FIELDS} } }
    ... on Source { key text url score title message { id } }
  } } } } }`;

/**
 * A response body as it must read the same after the round trip: paging URLs (this gateway's
 * origin) and cursors stand as placeholders, and GraphQL node ids, sealed with each database's own
 * deployment key, are numbered by first appearance, so the same node must stand in the same places.
 */
function comparable(body: string, origin: string, graphqlIds: boolean): string {
  const ids = new Map<string, string>();
  return JSON.stringify(JSON.parse(body), (key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(`${origin}/`)) return '<paging url>';
    if (['cursor', 'startCursor', 'endCursor'].includes(key) && value !== null) return '<cursor>';
    if (graphqlIds && key === 'id' && typeof value === 'string') {
      if (!ids.has(value)) ids.set(value, `<node ${ids.size + 1}>`);
      return ids.get(value);
    }
    return value;
  });
}

/** Every answer the three APIs give about the account, keyed by what was asked. */
async function everyAnswer(gateway: RunningGateway, sid: string, token: string): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  const get = async (pathAndQuery: string, authorization: string) => {
    const response = await fetch(`${gateway.url}${pathAndQuery}`, { headers: { authorization } });
    answers[`GET ${pathAndQuery}`] = `${response.status} ${comparable(await response.text(), gateway.url, false)}`;
  };
  const query = async (name: string, document: string, variables?: Record<string, unknown>) => {
    const response = await graphql(gateway, token, document, variables);
    expect(response.errors).toBeUndefined();
    answers[name] = comparable(JSON.stringify(response), gateway.url, true);
  };
  await get('/v1/Sessions?PageSize=50', basicAuth(sid, token));
  await query('graphql sessions', SESSIONS);
  for (const id of sessionIds) {
    await get(`/v1/Sessions/${encodeURIComponent(id)}`, basicAuth(sid, token));
    await get(`/v1/Sessions/${encodeURIComponent(id)}/Messages?PageSize=100`, basicAuth(sid, token));
    await get(`/api/v1/conversations/${encodeURIComponent(id)}/messages`, `Bearer ${token}`);
    await query(`graphql session ${id}`, MESSAGES, { id });
  }
  return answers;
}

let source: Place;
let before: Record<string, string>;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cg-export-'));
  source = await place(false);
  const db = await source.open();
  try {
    await db.prisma.account.create({ data: { sid: accountSid, name: 'Exported', authTokenHash: hashAuthToken(authToken), createdAt: new Date('2024-12-31T08:00:00.456Z') } });
    await db.prisma.account.create({ data: { sid: otherSid, name: 'Other', authTokenHash: hashAuthToken(otherToken) } });
    const { session: voice } = await ensureSession(db.prisma, accountSid, {
      sessionId: voiceId,
      name: `voice-${run}`,
      assistantId: 'aia_asst_export',
      identity: 'user:+15550001',
      verified: true,
      createdAt: new Date('2025-01-01T09:59:00.250Z'),
    });
    await appendMessages(db.prisma, voice, voiceMessages.map(twilioMessageToStore));
    const { session: chat } = await ensureSession(db.prisma, accountSid, { sessionId: chatId, createdAt: new Date('2025-01-02T09:00:00Z') });
    await appendMessages(db.prisma, chat, chatMessages.slice(0, 2).map(analyticsMessageToStore));
    await appendMessages(db.prisma, chat, chatMessages.slice(2).map(analyticsMessageToStore));
    await createTimeline(db.prisma, accountSid, generatedId, 30);
    await ensureSession(db.prisma, accountSid, { sessionId: emptyId, name: `empty-${run}`, createdAt: new Date('2025-01-03T09:00:00Z') });
    // Changed after it was created: its date_updated is restored as it was, not recomputed from its messages.
    await db.prisma.session.update({ where: { accountSid_sessionId: { accountSid, sessionId: emptyId } }, data: { updatedAt: new Date('2025-01-04T12:00:00.789Z') } });
    await createTimeline(db.prisma, otherSid, `session_other_${run}`, 5);
  } finally {
    await source.release(db);
  }
  before = await withGateway(source, (gateway) => everyAnswer(gateway, accountSid, authToken));
}, 120_000);

afterAll(async () => {
  for (const made of places) await made.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('export --format archive', () => {
  it('imported into an empty database, gives every answer of the three APIs back; a second import changes nothing', async () => {
    const exported = await runCli(['export', '--account', accountSid, file('account.jsonl')], source.env);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(exported.stderr).toBe(`Exported 4 sessions and 27 messages to ${file('account.jsonl')}.\n`);
    const lines = (await readFile(file('account.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ type: 'archive', version: 1, account: { sid: accountSid, name: 'Exported', date_created: '2024-12-31T08:00:00.456Z' } });
    expect(lines.filter((line) => line.type === 'session').map((line) => line.id)).toEqual(sessionIds);

    const target = await place(true);
    const imported = await runCli(['import', '--json', '--account', accountSid, '--format', 'archive', file('account.jsonl')], target.env);
    expect(imported.code, imported.stderr).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({ sessionsCreated: 4, sessionsPresent: 0, messagesCreated: 27, messagesPresent: 0, sourcesCreated: 14, account: { accountSid } });
    const restoredToken = report.account.authToken as string;
    expect(restoredToken).not.toBe(authToken);

    const after = await withGateway(target, (gateway) => everyAnswer(gateway, accountSid, restoredToken));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const key of Object.keys(before)) expect(after[key], key).toBe(before[key]);

    const again = await runCli(['import', '--json', '--account', accountSid, '--format', 'archive', file('account.jsonl')], target.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      file: file('account.jsonl'),
      sessionsCreated: 0,
      sessionsPresent: 4,
      messagesCreated: 0,
      messagesPresent: 27,
      sourcesCreated: 0,
      sourcesPresent: 14,
    });
    const afterAgain = await withGateway(target, async (gateway, db) => {
      expect(await db.prisma.timelineItem.count({ where: { accountSid } })).toBe(41);
      return everyAnswer(gateway, accountSid, restoredToken);
    });
    expect(afterAgain).toEqual(after);
  }, 300_000);

  it('exports one session, or one identity, or what is new since a date', async () => {
    await withDatabase(source, async (db) => {
      const exported = async (options: Omit<ExportOptions, 'accountSid'>) => {
        let text = '';
        const output = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk), done()) });
        await exportAccount(db.prisma, output, { accountSid, ...options });
        return text.trimEnd().split('\n').map((line) => JSON.parse(line));
      };
      const bySession = await exported({ format: 'archive', sessionId: `voice-${run}` });
      expect(bySession.map((line) => line.type)).toEqual(['archive', 'session', ...voiceMessages.map(() => 'message')]);
      expect(bySession[2]).toEqual({
        type: 'message',
        session_id: voiceId,
        id: voiceMessages[0]!.id,
        kind: 'CHAT_MESSAGE',
        origin: 'TWILIO',
        role: 'user',
        identity: 'user:+15550001',
        assistant_id: 'aia_asst_export',
        content: { text: 'Hi' },
        meta: {},
        text: 'Hi',
        confidence: null,
        tool_name: null,
        date_created: '2025-01-01T10:00:00.000Z',
        date_updated: '2025-01-01T10:00:00.000Z',
        sources: [],
    });
    const byIdentity = await exported({ format: 'twilio', identity: 'user:test' });
    expect(new Set(byIdentity.map((line) => line.session_id))).toEqual(new Set([generatedId]));
    const since = await exported({ format: 'twilio', since: new Date('2025-01-02T09:00:02Z') });
    expect(since.map((line) => line.id).filter((id) => !id.includes('generated'))).toEqual(chatMessages.slice(1).map((message) => `aia_msg_${message.id}`));
    });
  }, 120_000);

  it('refuses an unknown account, an unknown session and a date it cannot read, writing no file', async () => {
    const unknownAccount = await runCli(['export', '--account', `AC${'0'.repeat(32)}`, file('none.jsonl')], source.env);
    expect(unknownAccount).toMatchObject({ code: 1, stdout: '', stderr: `conversation-gateway: There is no account AC${'0'.repeat(32)}\n` });
    const unknownSession = await runCli(['export', '--account', accountSid, '--session', 'nope', file('none.jsonl')], source.env);
    expect(unknownSession).toMatchObject({ code: 1, stderr: `conversation-gateway: Account ${accountSid} has no session "nope"\n` });
    await expect(readFile(file('none.jsonl'))).rejects.toThrow(/ENOENT/);
    for (const since of ['yesterday', '2025-02-30', '2025-13-01T10:00:00Z']) {
      const badDate = await runCli(['export', '--account', accountSid, '--since', since], source.env);
      expect(badDate.code).toBe(2);
      expect(badDate.stderr).toMatch(new RegExp(`^conversation-gateway: --since takes an ISO 8601 date such as 2025-01-01 or 2025-01-01T10:00:00Z, not "${since}"\n\nUsage: conversation-gateway export`));
    }
    const both = await runCli(['export', '--account', accountSid, '--session', voiceId, '--identity', 'x'], source.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^conversation-gateway: Pass --session or --identity, not both\n/);
  }, 120_000);
});

describe('export --format twilio', () => {
  it('writes the Twilio API’s message objects, which import back as the same messages', async () => {
    const exported = await runCli(['export', '--account', accountSid, '--format', 'twilio', file('twilio.jsonl')], source.env);
    expect(exported.code, exported.stderr).toBe(0);
    const imported = await runCli(['import', '--json', '--account', otherSid, '--format', 'twilio', file('twilio.jsonl')], source.env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ sessionsCreated: 3, messagesCreated: 27, messagesPresent: 0 });
    // The other account's Twilio API shows the same messages, under its own sid.
    await withGateway(source, async (gateway) => {
      for (const id of [voiceId, chatId, generatedId]) {
        const pathAndQuery = `/v1/Sessions/${encodeURIComponent(id)}/Messages?PageSize=100`;
        const response = await fetch(`${gateway.url}${pathAndQuery}`, { headers: { authorization: basicAuth(otherSid, otherToken) } });
        const messages = comparable(JSON.stringify((await response.json()).messages), gateway.url, false);
        const original = JSON.parse(before[`GET ${pathAndQuery}`]!.slice(4)).messages;
        expect(messages).toBe(JSON.stringify(original).replaceAll(accountSid, otherSid));
      }
    });
  }, 120_000);
});

describe('export --format openai', () => {
  it('writes items of the shapes OpenAI documents, a line each, in timeline order', async () => {
    const exported = await runCli(['export', '--account', accountSid, '--session', voiceId, '--format', 'openai', '-'], source.env);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    const schema = JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures/openai-export-line.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    for (const line of lines) expect(validate(line) ? [] : validate.errors, JSON.stringify(line)).toEqual([]);
    expect(lines.map((line) => `${line.item.type}${line.item.role ? ` ${line.item.role}` : ''}`)).toEqual([
      'message user',
      'function_call',
      'function_call_output',
      'file_search_call',
      'message assistant',
      'message assistant',
    ]);
    expect(lines[1].item).toEqual({ type: 'function_call', call_id: voiceMessages[1]!.id, name: 'lookup_order', arguments: '{"order":7}' });
    expect(lines[2].item).toEqual({ type: 'function_call_output', call_id: voiceMessages[1]!.id, output: '{"status":"shipped"}' });

  }, 120_000);
});

/**
 * What the store holds of an account, sorted: "session S" for each session, "S M" for each message
 * and "S M source K" for each source (by its message's id and its key).
 */
async function storedEntries(prisma: PrismaClient, sid: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ entry: string }[]>`
    SELECT 'session ' || s."sessionId" AS entry FROM session s WHERE s."accountSid" = ${sid}
    UNION ALL
    SELECT s."sessionId" || ' ' || coalesce(i."messageId", p."messageId" || ' source ' || i."sourceKey")
    FROM timeline_item i JOIN session s ON s.id = i."sessionPk" LEFT JOIN timeline_item p ON p.id = i."parentId"
    WHERE i."accountSid" = ${sid}`;
  return rows.map((row) => row.entry).sort();
}

describe('export --identity', () => {
  it('hands out what erase --identity removes: the sessions of the identity, and its messages in other sessions with their sources', async () => {
    const erin = 'user:erin@example.com';
    const { accountSid: sid, stored } = await withDatabase(source, async ({ prisma }) => {
      const { accountSid: sid } = await createAccount(prisma, 'Erasure');
      await seededSession(prisma, sid, 'erin-own', 'erinown', 6, erin);
      const shared = await seededSession(prisma, sid, 'sam-shared', 'samsaid', 8, 'user:sam');
      // Erin's messages (5, with 3 sources) in Sam's session, between Sam's; Sam's last ones a month later.
      await appendMessages(prisma, shared, messagesSaying('erinsaid', 'erin-in-shared', 8, erin));
      const monthLater = (date: Date) => new Date(date.getTime() + 31 * 24 * 60 * 60 * 1000);
      const samAgain = messagesSaying('samagain', 'sam-again', 4, 'user:sam');
      await appendMessages(prisma, shared, samAgain.map((message) => ({ ...message, createdAt: monthLater(message.createdAt), updatedAt: monthLater(message.updatedAt) })));
      await seededSession(prisma, sid, 'sam-only', 'samonly', 4, 'user:sam');
      return { accountSid: sid, stored: await storedEntries(prisma, sid) };
    });

    const exported = await runCli(['export', '--account', sid, '--identity', erin, file('erin.jsonl')], source.env);
    expect(exported.stderr).toBe(`Exported 2 sessions and 9 messages to ${file('erin.jsonl')}.\n`);
    const lines = (await readFile(file('erin.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    // Sam's session without Sam's identity or its name: the export holds nothing of anyone else.
    expect(lines.filter((line) => line.type === 'session').map((line) => [line.id, line.identity, line.name])).toEqual([
      ['erin-own', erin, 'erin-own-name'],
      ['sam-shared', null, null],
    ]);
    expect(JSON.stringify(lines)).not.toContain('user:sam');
    const messages = lines.filter((line) => line.type === 'message');
    const inShared = messages.filter((line) => line.session_id === 'sam-shared');
    expect(inShared.map((line) => line.id)).toEqual(messagesSaying('erinsaid', 'erin-in-shared', 8, erin).map((message) => message.messageId));
    expect(inShared.every((line) => line.identity === erin && line.text.startsWith('erinsaid '))).toBe(true);
    expect(inShared.flatMap((line) => line.sources.map((s: { text: string }) => s.text.split(' ')[0]))).toEqual(['erinsaid', 'erinsaid', 'erinsaid']);
    expect(messages.filter((line) => line.session_id === 'erin-own')).toHaveLength(4);

    // The same messages in the other formats.
    const twilio = await runCli(['export', '--account', sid, '--identity', erin, '--format', 'twilio', '-'], source.env);
    expect(twilio.code, twilio.stderr).toBe(0);
    const twilioLines = twilio.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(twilioLines.map((line) => `${line.session_id} ${line.id} ${line.identity}`)).toEqual(messages.map((line) => `${line.session_id} ${line.id} ${erin}`));

    // --since: Sam's session has messages since, none of them Erin's, so it is left out.
    const since = await runCli(['export', '--account', sid, '--identity', erin, '--since', '2025-01-15', '-'], source.env);
    expect(since.stderr).toBe('Exported 0 sessions and 0 messages.\n');
    expect(since.stdout.trimEnd().split('\n').map((line) => JSON.parse(line).type)).toEqual(['archive']);

    const erased = await runCli(['erase', '--account', sid, '--identity', erin, '--json'], source.env);
    expect(erased.code, erased.stderr).toBe(0);
    const sourcesListed = messages.reduce((sum, line) => sum + line.sources.length, 0);
    expect(JSON.parse(erased.stdout)).toEqual({ dryRun: false, sessions: 1, messages: messages.length, sources: sourcesListed, sessionIds: ['erin-own'] });

    // What went from the store is what the export listed: the identity's own sessions, and every message and source on it.
    const listed = lines.flatMap((line) =>
      line.type === 'message'
        ? [`${line.session_id} ${line.id}`, ...line.sources.map((s: { key: string }) => `${line.session_id} ${line.id} source ${s.key}`)]
        : line.type === 'session' && line.identity === erin
          ? [`session ${line.id}`]
          : [],
    );
    const remaining = await withDatabase(source, ({ prisma }) => storedEntries(prisma, sid));
    expect(stored.filter((entry) => !remaining.includes(entry))).toEqual(listed.sort());
    expect(remaining).toEqual(expect.arrayContaining(['session sam-shared', 'session sam-only']));
  }, 120_000);

  it('--help says what it covers', async () => {
    const help = await runCli(['export', '--help'], source.env);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '--identity exports what "erase --identity" would remove: every session whose identity it is, whole, and the messages carrying it (with their sources) in the account\'s other sessions',
    );
  }, 60_000);
});
