import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { importMessages } from '../src/import/importer.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';

const Summaries = gql(`
  query Summaries {
    sessions(first: 1000) {
      edges {
        node {
          sessionId
          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }
        }
      }
    }
  }
`);

const CreateSummarySession = gql(`
  mutation CreateSummarySession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }
`);

const AppendForSummary = gql(`
  mutation AppendForSummary($sessionId: ID!, $messages: [MessageInput!]!) {
    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }
  }
`);

const fixture = useTestGateway();
let account: AccountCredentials;

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
});

interface Summary {
  itemCount: number;
  messageCount: number;
  toolCallCount: number;
  knowledgeCallCount: number;
  sourceCount: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
  averageConfidence: number | null;
}

/** Each session's summary as the rows say it, aggregated from scratch. */
async function summariesFromRows(): Promise<Map<string, Summary>> {
  const rows = await fixture.db.prisma.$queryRaw<
    { sessionId: string; items: number; messages: number; tools: number; knowledge: number; sources: number; first: Date | null; last: Date | null; confidence: number | null }[]
  >`
    SELECT s."sessionId", count(i.id)::int AS items,
           count(*) FILTER (WHERE i.kind = 'CHAT_MESSAGE')::int AS messages, count(*) FILTER (WHERE i.kind = 'TOOL_CALL')::int AS tools,
           count(*) FILTER (WHERE i.kind = 'KNOWLEDGE_CALL')::int AS knowledge, count(*) FILTER (WHERE i.kind = 'SOURCE')::int AS sources,
           min(i."createdAt") AS first, max(i."createdAt") AS last, avg(i.confidence) AS confidence
    FROM session s LEFT JOIN timeline_item i ON i."sessionPk" = s.id
    WHERE s."accountSid" = ${account.accountSid} GROUP BY s.id`;
  return new Map(
    rows.map((row) => [
      row.sessionId,
      {
        itemCount: row.items,
        messageCount: row.messages,
        toolCallCount: row.tools,
        knowledgeCallCount: row.knowledge,
        sourceCount: row.sources,
        firstMessageAt: row.first?.toISOString() ?? null,
        lastMessageAt: row.last?.toISOString() ?? null,
        averageConfidence: row.confidence,
      },
    ]),
  );
}

async function summaries(): Promise<Map<string, Summary>> {
  const { data, errors } = await graphql(fixture.gateway, account.authToken, Summaries);
  expect(errors).toBeUndefined();
  return new Map(data!.sessions.edges.map(({ node }) => [node.sessionId, node.summary]));
}

async function expectSummariesMatchRows(): Promise<Map<string, Summary>> {
  const [shown, counted] = await Promise.all([summaries(), summariesFromRows()]);
  expect([...shown.keys()].sort()).toEqual([...counted.keys()].sort());
  for (const [sessionId, summary] of shown) {
    const expected = counted.get(sessionId)!;
    expect({ ...summary, averageConfidence: null }, sessionId).toEqual({ ...expected, averageConfidence: null });
    if (expected.averageConfidence === null) expect(summary.averageConfidence, sessionId).toBeNull();
    else expect(summary.averageConfidence, sessionId).toBeCloseTo(expected.averageConfidence, 9);
  }
  return shown;
}

async function createSession(sessionId: string) {
  const { errors } = await graphql(fixture.gateway, account.authToken, CreateSummarySession, { sessionId });
  expect(errors).toBeUndefined();
}

type Input = Parameters<typeof graphql<unknown, { sessionId: string; messages: unknown[] }>>[3] extends infer V ? V : never;
function append(sessionId: string, messages: Record<string, unknown>[]) {
  return graphql(fixture.gateway, account.authToken, AppendForSummary, { sessionId, messages } as Input as never);
}

describe('summaries', () => {
  it('are zero, with null times and confidence, while a session is empty', async () => {
    await createSession('empty');
    const shown = await expectSummariesMatchRows();
    expect(shown.get('empty')).toEqual({
      itemCount: 0, messageCount: 0, toolCallCount: 0, knowledgeCallCount: 0, sourceCount: 0, firstMessageAt: null, lastMessageAt: null, averageConfidence: null,
    });
  });

  it('follow appends of every kind, with sources, confidences, out-of-order times and messages sent again', async () => {
    await createSession('mixed');
    const first = [
      { messageId: 'm1', role: 'USER', text: 'hello', createdAt: '2025-06-01T10:00:00.000Z' },
      { messageId: 'm2', role: 'ASSISTANT', text: 'hi', confidence: 0.25, createdAt: '2025-06-01T10:01:00.000Z', sources: [{ text: 'a' }, { text: 'b' }] },
      { messageId: 'm3', type: 'TOOL_CALL', role: 'TOOL', content: { name: 'lookup', arguments: {} }, createdAt: '2025-06-01T10:02:00.000Z' },
    ];
    expect((await append('mixed', first)).errors).toBeUndefined();
    await expectSummariesMatchRows();
    const second = [
      ...first,
      { messageId: 'm4', type: 'KNOWLEDGE_CALL', role: 'KNOWLEDGE', content: { query: 'q' }, createdAt: '2025-05-31T09:00:00.000Z', sources: [{ text: 'c' }] },
      { messageId: 'm5', role: 'ASSISTANT', text: 'bye', confidence: 1, createdAt: '2025-06-02T00:00:00.000Z' },
    ];
    expect((await append('mixed', second)).errors).toBeUndefined();
    const shown = await expectSummariesMatchRows();
    expect(shown.get('mixed')).toEqual({
      itemCount: 8, messageCount: 3, toolCallCount: 1, knowledgeCallCount: 1, sourceCount: 3,
      firstMessageAt: '2025-05-31T09:00:00.000Z', lastMessageAt: '2025-06-02T00:00:00.000Z', averageConfidence: 0.625,
    });
  });

  it('count nothing of an append refused as a conflict', async () => {
    const before = (await summaries()).get('mixed');
    const { errors } = await append('mixed', [
      { messageId: 'm6', role: 'USER', text: 'new', confidence: 0.5, sources: [{ text: 'd' }] },
      { messageId: 'm1', role: 'USER', text: 'changed' },
    ]);
    expect(errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await expectSummariesMatchRows()).get('mixed')).toEqual(before);
  });

  const twilioMessage = (sessionId: string, n: number, content: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
    id: `aia_msg_${sessionId}_${n}`, account_sid: account.accountSid, assistant_id: 'aia_asst_import', session_id: sessionId, identity: 'user:import',
    role: n % 3 === 2 ? 'tool' : n % 2 ? 'assistant' : 'user', content, meta,
    date_created: new Date(Date.UTC(2025, 6, 1, 0, 0, n)).toISOString(), date_updated: new Date(Date.UTC(2025, 6, 1, 0, 0, n)).toISOString(),
  });

  it('follow imports, and count nothing of an import rolled back after some of its batches were written', async () => {
    const messages = Array.from({ length: 300 }, (_, n) => twilioMessage(n % 2 ? 'imported-a' : 'imported-b', n, n % 3 === 2 ? { name: 'tool' } : { text: `m${n}` }, n % 5 ? {} : { confidence: n / 300 }));
    const run = (file: unknown) => importMessages(fixture.db.prisma, Readable.from([JSON.stringify(file)]), 'the file', { accountSid: account.accountSid, format: 'twilio' });
    await run({ messages });
    const imported = await expectSummariesMatchRows();
    expect(imported.get('imported-a')!.itemCount + imported.get('imported-b')!.itemCount).toBe(300);

    // 700 new messages: the first batch of 500 is appended (and counted) inside the file's transaction before message 600 is found invalid.
    const more = Array.from({ length: 700 }, (_, n) => twilioMessage(n % 2 ? 'imported-a' : 'imported-c', 1000 + n, { text: `more ${n}` }, { confidence: 0.5 }));
    more[600] = { ...more[600]!, role: 'nobody' };
    await expect(run({ messages: more })).rejects.toThrow(/role/);
    const after = await expectSummariesMatchRows();
    expect(after.get('imported-a')).toEqual(imported.get('imported-a'));
    expect(after.has('imported-c')).toBe(false);
  });

  it('stay exact under 20 concurrent writers to one session (side by side on PostgreSQL)', async () => {
    await createSession('racing');
    const writer = async (w: number) => {
      for (let call = 0; call < 10; call++) {
        const { errors } = await append('racing', [
          { messageId: `w${w}-${call}`, role: 'ASSISTANT', text: `writer ${w}`, confidence: (w + call) / 40, sources: call % 2 ? [{ text: 's' }] : [], createdAt: new Date(Date.UTC(2025, 7, 1, w, call)).toISOString() },
          { messageId: `w${w}-${call}-tool`, type: 'TOOL_CALL', role: 'TOOL', content: { name: 'x' } },
        ]);
        expect(errors).toBeUndefined();
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, w) => writer(w)));
    const shown = await expectSummariesMatchRows();
    expect(shown.get('racing')).toMatchObject({ itemCount: 500, messageCount: 200, toolCallCount: 200, sourceCount: 100 });
  }, 300_000);

  it("the migration's backfill gives existing sessions the summaries their rows add up to", async () => {
    const migration = await readFile(new URL('../prisma/migrations/20261206120000_session_summaries_and_search/migration.sql', import.meta.url), 'utf8');
    const backfill = /UPDATE "session"[\s\S]*?;/.exec(migration)![0];
    await fixture.db.prisma.$executeRawUnsafe(
      `UPDATE session SET "itemCount" = 0, "messageCount" = 0, "toolCallCount" = 0, "knowledgeCallCount" = 0, "sourceCount" = 0,
       "firstMessageAt" = NULL, "lastMessageAt" = NULL, "confidenceSum" = 0, "confidenceCount" = 0`,
    );
    await fixture.db.prisma.$executeRawUnsafe(backfill);
    const shown = await expectSummariesMatchRows();
    expect(shown.get('racing')!.itemCount).toBe(500);
  });
});
