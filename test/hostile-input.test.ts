import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { importMessages, type ImportOptions } from '../src/import/importer.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { timelineCursor } from '../src/store/cursors.js';
import { loadSealingKey, type SealingKey } from '../src/store/sealing.js';
import { graphql, useTestGateway } from './support/gateway.js';

// What the database would refuse (NUL characters, over-long ids, positions beyond its integers) and
// what no message should be (1,001 sources, megabytes of content) gets each surface's own
// validation error naming the field, and leaves the database exactly as it was.

const HostileAppend = gql(`
  mutation HostileAppend($sessionId: ID!, $messages: [MessageInput!]!) {
    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated sourcesCreated }
  }
`);

const HostileCreateSession = gql(`
  mutation HostileCreateSession($sessionId: String!, $name: String, $assistantId: String) {
    createSession(sessionId: $sessionId, name: $name, assistantId: $assistantId) { created }
  }
`);

const HostilePage = gql(`
  query HostilePage($session: ID!, $after: String, $before: String) {
    session(id: $session) { messages(first: 2, after: $after, before: $before) { edges { node { position } } } }
  }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let sessionPk: bigint;
let sealingKey: SealingKey;

const NUL = '\u0000';
const longId = 'x'.repeat(257);
const sources = (count: number) => Array.from({ length: count }, (_, n) => ({ text: `source ${n + 1}` }));

/** Everything a failed write could have touched. */
async function databaseState() {
  const prisma = fixture.db.prisma;
  const [sessions, assistants, items] = await Promise.all([
    prisma.session.findMany({ orderBy: { id: 'asc' } }),
    prisma.assistant.count(),
    prisma.timelineItem.count(),
  ]);
  return { sessions, assistants, items };
}

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  const created = await graphql(fixture.gateway, alice.authToken, HostileCreateSession, { sessionId: 'target' });
  expect(created.errors).toBeUndefined();
  const appended = await graphql(fixture.gateway, alice.authToken, HostileAppend, {
    sessionId: 'target',
    messages: [{ messageId: 'm1', role: 'USER', text: 'one' }, { messageId: 'm2', role: 'ASSISTANT', text: 'two', sources: sources(1000) }],
  });
  expect(appended.data!.appendMessages).toEqual({ messagesCreated: 2, sourcesCreated: 1000 });
  sessionPk = (await fixture.db.prisma.session.findFirstOrThrow({ where: { sessionId: 'target' } })).id;
  sealingKey = await loadSealingKey(fixture.db.prisma);
});

/** A cursor in the unsealed form cursors once had, naming a position beyond the database's integers. */
const unsealedCursor = (position: number) => Buffer.from(`k1:${sessionPk}:${position}`).toString('base64url');

const message = { messageId: 'new', role: 'USER' as const, text: 'hello' };

describe('GraphQL', () => {
  it.each([
    ['a NUL in a text', { messages: [{ ...message, text: `a${NUL}b` }] }, 'messages[0].text'],
    ['a NUL in a message id', { messages: [{ ...message, messageId: `a${NUL}` }] }, 'messages[0].messageId'],
    ['a NUL in a JSON value', { messages: [{ ...message, meta: { deep: [{ value: `x${NUL}` }] } }] }, 'messages[0].meta.deep[0].value'],
    ['a NUL in a JSON key', { messages: [{ ...message, meta: { [`k${NUL}`]: 1 } }] }, 'messages[0].meta key'],
    ['a NUL in a source', { messages: [{ ...message, role: 'ASSISTANT' as const, sources: [{ text: `s${NUL}` }] }] }, 'messages[0].sources[0].text'],
    ['an over-long message id', { messages: [{ ...message, messageId: longId }] }, 'messages[0].messageId: must be at most 256 characters'],
    ['an over-long identity', { messages: [{ ...message, identity: longId }] }, 'messages[0].identity'],
    ['1,001 sources', { messages: [{ ...message, role: 'ASSISTANT' as const, sources: sources(1001) }] }, 'at most 1000 sources a message'],
    ['a NUL in the session id', { sessionId: `target${NUL}`, messages: [message] }, 'session id'],
    ['an over-long session id', { sessionId: longId, messages: [message] }, 'session id'],
  ])('appendMessages with %s is BAD_USER_INPUT naming the field, and stores nothing', async (_name, variables, field) => {
    const before = await databaseState();
    const { status, errors } = await graphql(fixture.gateway, alice.authToken, HostileAppend, { sessionId: 'target', ...variables });
    expect(status).toBe(200);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain(field);
    expect(await databaseState()).toEqual(before);
  });

  it.each([
    ['a NUL in the session id', { sessionId: `s${NUL}` }, 'sessionId'],
    ['an over-long session id', { sessionId: longId }, 'sessionId'],
    ['a NUL in the name', { sessionId: 'fresh', name: `n${NUL}` }, 'name'],
    ['an over-long assistant id', { sessionId: 'fresh', assistantId: longId }, 'assistantId'],
  ])('createSession with %s is BAD_USER_INPUT naming the field, and creates nothing', async (_name, variables, field) => {
    const before = await databaseState();
    const { errors } = await graphql(fixture.gateway, alice.authToken, HostileCreateSession, variables);
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toContain(field);
    expect(await databaseState()).toEqual(before);
  });

  it.each(['after', 'before'] as const)('a 15-digit position in `%s` is BAD_USER_INPUT', async (direction) => {
    const { errors } = await graphql(fixture.gateway, alice.authToken, HostilePage, { session: 'target', [direction]: unsealedCursor(123456789012345) });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const edge = await graphql(fixture.gateway, alice.authToken, HostilePage, { session: 'target', after: timelineCursor(sealingKey, sessionPk, 2147483647) });
    expect(edge.data!.session!.messages.edges).toEqual([]);
  });

  it('a NUL in a session lookup is BAD_USER_INPUT', async () => {
    const { errors } = await graphql(fixture.gateway, alice.authToken, HostilePage, { session: `t${NUL}` });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('REST', () => {
  const basic = () => ({ authorization: `Basic ${Buffer.from(`${alice.accountSid}:${alice.authToken}`).toString('base64')}` });
  const bearer = () => ({ authorization: `Bearer ${alice.authToken}` });
  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${fixture.gateway.url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const pageToken = (position: number) => `PA${unsealedCursor(position)}`;

  it.each([
    ['a NUL session id', '/v1/Sessions/t%00/Messages', 20001],
    ['an over-long session id', `/v1/Sessions/${longId}/Messages`, 20001],
    ['a NUL session id, for the session', '/v1/Sessions/t%00', 20001],
    ['a 15-digit PageToken position', `/v1/Sessions/target/Messages?Page=1&PageToken=${pageToken(123456789012345)}`, 21481],
  ])('Twilio: %s is a 400 with its code', async (_name, path, code) => {
    expect(await get(path, basic())).toMatchObject({ status: 400, body: { code, status: 400 } });
  });

  it.each([
    ['a NUL session id', '/api/v1/conversations/t%00/messages'],
    ['an over-long session id', `/api/v1/conversations/${longId}/messages`],
  ])('analytics: %s is a 400 validation_error', async (_name, path) => {
    expect(await get(path, bearer())).toMatchObject({ status: 400, body: { status: 'error', error: { code: 'validation_error' } } });
  });
});

describe('the importer', () => {
  function run(messages: unknown[], options: Partial<ImportOptions> = {}) {
    return importMessages(fixture.db.prisma, Readable.from([JSON.stringify(messages)]), 'the file', {
      accountSid: alice.accountSid,
      format: 'analytics',
      sessionId: 'imported',
      ...options,
    });
  }
  const fine = { id: 'ok', role: 'user', content: 'fine', timestamp: '2025-01-01T00:00:00Z' };

  it.each([
    ['a NUL in the content', { ...fine, id: 'bad', content: `a${NUL}` }, 'the file: message 2.text'],
    ['a NUL in metadata', { ...fine, id: 'bad', metadata: { trace: { [`k${NUL}`]: 'v' } } }, 'the file: message 2.meta.trace key'],
    ['an over-long id', { ...fine, id: longId }, 'the file: message 2.messageId'],
    [
      '1,001 sources',
      { ...fine, id: 'bad', role: 'assistant', metadata: { sources: Object.fromEntries(sources(1001).map((s, n) => [String(n + 1), { ...s, url: null, score: 1 }])) } },
      'the file: message 2.sources: at most 1000',
    ],
    ['over 1 MiB of content', { ...fine, id: 'bad', content: 'x'.repeat(1_048_577) }, 'the file: message 2: a string of more than 1048576 bytes; at most 1048576 bytes of text, content, meta and sources are accepted (MAX_MESSAGE_BYTES)'],
    ['a metadata key over 1 MiB long', { ...fine, id: 'bad', metadata: { ['k'.repeat(1_048_577)]: 1 } }, 'the file: message 2: an object key of more than 1048576 bytes'],
  ])('%s is refused naming the message and field, and nothing of the file is stored', async (_name, bad, problem) => {
    const before = await databaseState();
    await expect(run([fine, bad])).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining(problem) });
    expect(await databaseState()).toEqual(before);
  });

  it('a Twilio page naming a session with a NUL is refused naming it', async () => {
    const before = await databaseState();
    const page = {
      messages: [
        { id: 'aia_msg_1', session_id: `s${NUL}`, role: 'user', content: {}, meta: {}, date_created: '2025-01-01T00:00:00Z', date_updated: '2025-01-01T00:00:00Z' },
      ],
    };
    await expect(
      importMessages(fixture.db.prisma, Readable.from([JSON.stringify(page)]), 'the file', { accountSid: alice.accountSid, format: 'twilio' }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('message 1.session_id') });
    expect(await databaseState()).toEqual(before);
  });
});
