import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { createApiKey, type ApiKeyCredentials } from '../src/store/api-keys.js';
import { appendMessages } from '../src/store/append.js';
import { deleteSessions } from '../src/store/erasure.js';
import { endedWithin } from './support/credentials.js';
import { messagesSaying, seededSession, summaryDrift, whereStored } from './support/erasure.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { subscribe } from './support/subscription.js';
import { twilioClient } from './support/twilio-client.js';

// deleteSession and eraseIdentity through the API, and what every surface answers afterwards.

const DeleteSession = gql(`
  mutation DeleteSession($sessionId: ID!) {
    deleteSession(sessionId: $sessionId) { deletedSessionId sessionId messagesDeleted sourcesDeleted }
  }
`);

const EraseIdentity = gql(`
  mutation EraseIdentity($identity: String!) {
    eraseIdentity(identity: $identity) { sessionsDeleted messagesDeleted sourcesDeleted }
  }
`);

const ErasedSession = gql(`
  query ErasedSession($id: ID!) { session(id: $id) { id messages(first: 2) { pageInfo { endCursor } } } }
`);

const ErasedNode = gql(`
  query ErasedNode($id: ID!) { node(id: $id) { id } }
`);

const ErasedSearch = gql(`
  query ErasedSearch($query: String!) { search(query: $query, first: 10) { edges { node { snippet } } } }
`);

const ErasedAfter = gql(`
  query ErasedAfter($id: ID!, $after: String!) { session(id: $id) { messages(first: 2, after: $after) { edges { cursor } } } }
`);

const ErasedSummary = gql(`
  query ErasedSummary($id: ID!) { session(id: $id) { summary { itemCount messageCount sourceCount averageConfidence } messages { totalCount } } }
`);

const RecreateSession = gql(`
  mutation RecreateSession($sessionId: String!) { createSession(sessionId: $sessionId) { created } }
`);

const ErasedAdded = gql(`
  subscription ErasedAdded($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;
let writer: ApiKeyCredentials;
let reader: ApiKeyCredentials;

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  writer = await createApiKey(fixture.db.prisma, alice.accountSid, { name: 'writer' });
  reader = await createApiKey(fixture.db.prisma, alice.accountSid, { name: 'reader', readOnly: true });
});

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function get(path: string, authorization: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(path, fixture.gateway.url), { headers: { authorization } });
  return { status: response.status, body: await response.json() };
}

/** What the three APIs answer for a session: GraphQL's `session`, Twilio's session and messages, the analytics messages. */
async function everySurface(sessionId: string) {
  const twilio = twilioClient(fixture.gateway.url, alice.accountSid, alice.authToken).assistants.v1.sessions(sessionId);
  const refusal = (error: { status?: number; code?: number }) => ({ status: error.status, code: error.code });
  return {
    graphql: (await graphql(fixture.gateway, alice.authToken, ErasedSession, { id: sessionId })).data?.session,
    twilioSession: await twilio.fetch().then(() => 'found', refusal),
    twilioMessages: await twilio.messages.list().then(() => 'found', refusal),
    analytics: await get(`/api/v1/conversations/${encodeURIComponent(sessionId)}/messages`, `Bearer ${alice.authToken}`).then(({ status, body }) => ({ status, code: body.error?.code ?? body.code })),
  };
}

const notFoundEverywhere = {
  graphql: null,
  twilioSession: { status: 404, code: 20404 },
  twilioMessages: { status: 404, code: 20404 },
  analytics: { status: 404, code: 'resource_not_found' },
};

describe('deleteSession', () => {
  it('removes the session and all of it: every surface answers not found, its stream ends, nothing of it is stored', async () => {
    const { prisma } = fixture.db;
    await seededSession(prisma, alice.accountSid, 'voice:CAdoomed', 'zanzibar', 10, 'user:zed');
    const kept = await seededSession(prisma, alice.accountSid, 'voice:CAkept', 'keepsake', 9, 'user:kim');
    const bobs = await seededSession(prisma, bob.accountSid, 'voice:CAbobs', 'bobword', 5, 'user:zed');
    const before = await graphql(fixture.gateway, alice.authToken, ErasedSession, { id: 'voice:CAdoomed' });
    const { id: globalId, messages } = before.data!.session!;
    const twilioPage = await get('/v1/Sessions/voice:CAdoomed/Messages?PageSize=2', basic(alice.accountSid, alice.authToken));
    const nextPage = new URL(twilioPage.body.meta.next_page_url as string);
    const stream = await subscribe(fixture.gateway.url, alice.authToken, ErasedAdded, { sessionId: 'voice:CAdoomed' });

    // By its name, with a read-write API key.
    const deleted = await graphql(fixture.gateway, writer.secret, DeleteSession, { sessionId: 'voice:CAdoomed-name' });

    expect(deleted).toMatchObject({ status: 200, data: { deleteSession: { deletedSessionId: globalId, sessionId: 'voice:CAdoomed', messagesDeleted: 7, sourcesDeleted: 3 } } });
    expect(await endedWithin(stream.ended, 5000)).toBe('complete');
    expect(await everySurface('voice:CAdoomed')).toEqual(notFoundEverywhere);
    expect(await everySurface('voice:CAdoomed-name')).toEqual(notFoundEverywhere);
    expect((await graphql(fixture.gateway, alice.authToken, ErasedNode, { id: globalId })).data).toEqual({ node: null });
    expect((await graphql(fixture.gateway, alice.authToken, ErasedSearch, { query: 'zanzibar' })).data).toEqual({ search: { edges: [] } });
    expect(await get(nextPage.pathname + nextPage.search, basic(alice.accountSid, alice.authToken))).toMatchObject({ status: 404, body: { code: 20404 } });
    for (const value of ['voice:CAdoomed', 'voice:CAdoomed-name', 'zanzibar']) expect(await whereStored(prisma, value)).toEqual([]);
    // user:zed is Bob's too: only his session still holds it.
    expect(await whereStored(prisma, 'user:zed')).toEqual(['session.identity', 'timeline_item.identity']);
    expect(await prisma.session.count({ where: { identity: 'user:zed', accountSid: alice.accountSid } })).toBe(0);

    // Untouched: Alice's other session, Bob's.
    expect((await graphql(fixture.gateway, alice.authToken, ErasedSummary, { id: 'voice:CAkept' })).data?.session?.messages.totalCount).toBe(9);
    expect(await prisma.timelineItem.count({ where: { sessionPk: kept.id } })).toBe(9);
    expect(await prisma.timelineItem.count({ where: { sessionPk: bobs.id } })).toBe(5);

    // Recorded, naming only the key used and the counts.
    const records = await prisma.erasure.findMany({ where: { accountSid: alice.accountSid, kind: 'SESSION' } });
    expect(records.map(({ credential, sessions, messages, sources }) => ({ credential, sessions, messages, sources }))).toEqual([
      { credential: writer.sid, sessions: 1, messages: 7, sources: 3 },
    ]);

    // Gone is gone: deleting again is NOT_FOUND, and the old cursor and PageToken are refused by a new session of the same id.
    const again = await graphql(fixture.gateway, alice.authToken, DeleteSession, { sessionId: 'voice:CAdoomed' });
    expect(again.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    await graphql(fixture.gateway, alice.authToken, RecreateSession, { sessionId: 'voice:CAdoomed' });
    const after = await graphql(fixture.gateway, alice.authToken, ErasedAfter, { id: 'voice:CAdoomed', after: messages.pageInfo.endCursor! });
    expect(after.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(after.errors?.[0]?.message).toMatch(/cursor/i);
    expect(await get(nextPage.pathname + nextPage.search, basic(alice.accountSid, alice.authToken))).toMatchObject({ status: 400, body: { code: 21481 } });
  });

  it('a deletion whose announcement never reaches the gateway (an erase run without Redis) still ends the stream', async () => {
    const session = await seededSession(fixture.db.prisma, alice.accountSid, 'voice:CAunannounced', 'quietly', 3);
    const stream = await subscribe(fixture.gateway.url, alice.authToken, ErasedAdded, { sessionId: 'voice:CAunannounced' });
    await deleteSessions(fixture.db.prisma, alice.accountSid, [session.id], { credential: 'command-line' });
    // Open streams are checked every CREDENTIAL_CHECK_MS (5 s by default).
    expect(await endedWithin(stream.ended, 10_000)).toBe('complete');
  });

  it("another account's session is not found, and stays", async () => {
    const bobs = await seededSession(fixture.db.prisma, bob.accountSid, 'voice:CAbobonly', 'bobword', 3);
    const answer = await graphql(fixture.gateway, alice.authToken, DeleteSession, { sessionId: 'voice:CAbobonly' });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await fixture.db.prisma.timelineItem.count({ where: { sessionPk: bobs.id } })).toBe(3);
  });
});

describe('eraseIdentity', () => {
  it("removes the person's sessions and their items in others, whose summaries are counted again", async () => {
    const { prisma } = fixture.db;
    await seededSession(prisma, alice.accountSid, 'erin-own', 'erinown', 6, 'user:erin@example.com');
    const shared = await seededSession(prisma, alice.accountSid, 'shared-with-erin', 'samsaid', 8, 'user:sam');
    await appendMessages(prisma, shared, messagesSaying('erinsaid', 'erin-in-shared', 8, 'user:erin@example.com'));
    await appendMessages(prisma, shared, messagesSaying('samagain', 'sam-again', 4, 'user:sam'));
    const bobs = await seededSession(prisma, bob.accountSid, 'erin-at-bob', 'erinatbob', 4, 'user:erin@bob.example.com');

    const erased = await graphql(fixture.gateway, alice.authToken, EraseIdentity, { identity: 'user:erin@example.com' });

    expect(erased).toMatchObject({ status: 200, data: { eraseIdentity: { sessionsDeleted: 1, messagesDeleted: 9, sourcesDeleted: 5 } } });
    expect(await everySurface('erin-own')).toEqual(notFoundEverywhere);
    for (const value of ['user:erin@example.com', 'erin-own', 'erinown', 'erinsaid']) expect(await whereStored(prisma, value)).toEqual([]);
    expect(await summaryDrift(prisma, alice.accountSid)).toEqual([]);
    const summary = (await graphql(fixture.gateway, alice.authToken, ErasedSummary, { id: 'shared-with-erin' })).data?.session;
    expect(summary).toEqual({ summary: { itemCount: 12, messageCount: 4, sourceCount: 4, averageConfidence: 0.5 }, messages: { totalCount: 12 } });
    expect(await prisma.timelineItem.count({ where: { sessionPk: bobs.id } })).toBe(4);
    const [record] = await prisma.erasure.findMany({ where: { accountSid: alice.accountSid, kind: 'IDENTITY' } });
    expect(record).toMatchObject({ credential: 'auth-token', sessions: 1, messages: 9, sources: 5 });
  });

  it('an identity found nowhere erases nothing and answers zeros', async () => {
    const answer = await graphql(fixture.gateway, alice.authToken, EraseIdentity, { identity: 'user:nobody' });
    expect(answer.data).toEqual({ eraseIdentity: { sessionsDeleted: 0, messagesDeleted: 0, sourcesDeleted: 0 } });
  });
});

describe('a read-only key', () => {
  it('is refused both, and nothing changes', async () => {
    const { prisma } = fixture.db;
    const session = await seededSession(prisma, alice.accountSid, 'read-only-target', 'untouchable', 5, 'user:ro');
    const erasures = await prisma.erasure.count();
    for (const [document, variables] of [
      [DeleteSession, { sessionId: 'read-only-target' }],
      [EraseIdentity, { identity: 'user:ro' }],
    ] as const) {
      const answer = await graphql(fixture.gateway, reader.secret, document as typeof DeleteSession, variables as { sessionId: string });
      expect(answer.status).toBe(403);
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(await prisma.timelineItem.count({ where: { sessionPk: session.id } })).toBe(5);
    expect(await prisma.erasure.count()).toBe(erasures);
  });
});
