import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { openTestDatabase } from './support/database.js';
import { graphql, startGateway, useTestGateway, type RunningGateway } from './support/gateway.js';
import { basicAuth } from './support/http.js';
import { createTimeline } from './support/timeline.js';

// The ids and cursors a client sees are sealed with the deployment's key: they show no row id and
// no counter, an edited one is refused rather than read as another row's, and a cursor works only
// in the list, of the account, that handed it out.

const SessionPage = gql(`
  query OpaqueSessionPage($first: Int, $after: String) {
    sessions(first: $first, after: $after) { edges { cursor node { id sessionId } } pageInfo { endCursor } }
  }
`);

const TimelinePage = gql(`
  query OpaqueTimelinePage($session: ID!, $first: Int, $after: String) {
    session(id: $session) { id messages(first: $first, after: $after) { edges { cursor node { id __typename position } } } }
  }
`);

const NodeById = gql(`
  query OpaqueNode($id: ID!) { node(id: $id) { id __typename } }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  for (let n = 1; n <= 5; n++) await createTimeline(fixture.db.prisma, alice.accountSid, `alice-${n}`, 3);
  await createTimeline(fixture.db.prisma, alice.accountSid, 'long', 1000);
  await createTimeline(fixture.db.prisma, bob.accountSid, 'bob-1', 3);
}, 120_000);

async function sessionPage(account: AccountCredentials, variables: { first?: number; after?: string }) {
  return graphql(fixture.gateway, account.authToken, SessionPage, variables);
}

async function timeline(session: string, first = 1000, after?: string) {
  const { data, errors } = await graphql(fixture.gateway, alice.authToken, TimelinePage, { session, first, after });
  expect(errors).toBeUndefined();
  return data!.session!;
}

async function twilioGet(account: AccountCredentials, pathOrUrl: string) {
  const response = await fetch(new URL(pathOrUrl, fixture.gateway.url), { headers: { authorization: basicAuth(account.accountSid, account.authToken) } });
  return { status: response.status, body: (await response.json()) as { code?: number; meta: { next_page_url: string | null } } };
}

const pageTokenOf = (url: string) => new URL(url).searchParams.get('PageToken')!;

const bytesOf = (text: string) => Buffer.from(text, 'base64');

/** How many bytes two ids share, place by place: a counter shows as ids that differ in a byte or two. */
function sharedBytes(a: string, b: string): number {
  const [x, y] = [bytesOf(a), bytesOf(b)];
  return x.reduce((shared, byte, index) => shared + (byte === y[index] ? 1 : 0), 0);
}

/** Each byte of the id in turn changed by one, written back in the id's own alphabet: what a client editing an id by hand would try. */
function edits(text: string): string[] {
  const bytes = bytesOf(text);
  const encoding = text.endsWith('=') || /[+/]/.test(text) ? 'base64' : 'base64url';
  return [...bytes.keys()].map((index) => {
    const edited = Buffer.from(bytes);
    edited[index] = (edited[index]! + 1) % 256;
    return edited.toString(encoding);
  });
}

describe('ids and cursors show no row id and no counter', () => {
  it.each<[string, () => Promise<string[]>]>([
    ['session ids', async () => (await sessionPage(alice, { first: 6 })).data!.sessions.edges.map((edge) => edge.node.id)],
    ['session list cursors', async () => (await sessionPage(alice, { first: 6 })).data!.sessions.edges.map((edge) => edge.cursor)],
    ['message ids (the 1st to the 1000th item)', async () => (await timeline('long')).messages.edges.filter((edge) => edge.node.__typename === 'ChatMessage').map((edge) => edge.node.id)],
    ['timeline cursors (the 1st to the 1000th item)', async () => (await timeline('long')).messages.edges.map((edge) => edge.cursor)],
    [
      'Twilio PageTokens',
      async () => {
        const tokens: string[] = [];
        for (let url: string | null = '/v1/Sessions/long/Messages?PageSize=100'; url && tokens.length < 6; ) {
          url = (await twilioGet(alice, url)).body.meta.next_page_url;
          if (url) tokens.push(pageTokenOf(url));
        }
        return tokens;
      },
    ],
  ])('%s', async (_name, read) => {
    const texts = await read();
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) {
      expect(bytesOf(text).toString('latin1')).not.toMatch(/Session|ChatMessage|ToolCall|KnowledgeCall|Source|k1:/);
      // The 1st and the 1000th are as long as each other: the length tells nothing either.
      expect(text).toHaveLength(texts[0]!.length);
    }
    for (let n = 1; n < texts.length; n++) {
      expect(sharedBytes(texts[n - 1]!, texts[n]!), `${texts[n - 1]} and ${texts[n]}`).toBeLessThan(bytesOf(texts[n]!).length / 2);
    }
  });
});

describe('an id or cursor edited by hand is refused in its API shape, never read as another row', () => {
  it('global ids (node)', async () => {
    const { id: sessionId, messages } = await timeline('alice-2', 3);
    for (const id of [sessionId, messages.edges[0]!.node.id]) {
      for (const edited of edits(id)) {
        const { data, errors } = await graphql(fixture.gateway, alice.authToken, NodeById, { id: edited });
        expect(data, edited).toEqual({ node: null });
        expect(errors?.[0]?.extensions?.code, edited).toBe('BAD_USER_INPUT');
      }
    }
  });

  it('session list cursors', async () => {
    const cursor = (await sessionPage(alice, { first: 2 })).data!.sessions.pageInfo.endCursor!;
    for (const edited of edits(cursor)) {
      const { data, errors } = await sessionPage(alice, { first: 2, after: edited });
      expect(data, edited).toBeNull();
      expect(errors?.[0]?.extensions?.code, edited).toBe('BAD_USER_INPUT');
    }
  });

  it('timeline cursors', async () => {
    const cursor = (await timeline('long', 3)).messages.edges[2]!.cursor;
    for (const edited of edits(cursor)) {
      const { data, errors } = await graphql(fixture.gateway, alice.authToken, TimelinePage, { session: 'long', first: 2, after: edited });
      expect(data, edited).toEqual({ session: null });
      expect(errors?.[0]?.extensions?.code, edited).toBe('BAD_USER_INPUT');
    }
  });

  it('Twilio PageTokens', async () => {
    const next = (await twilioGet(alice, '/v1/Sessions/long/Messages?PageSize=3')).body.meta.next_page_url!;
    const token = pageTokenOf(next);
    for (const edited of edits(token.slice(2))) {
      const { status, body } = await twilioGet(alice, `/v1/Sessions/long/Messages?PageSize=3&Page=1&PageToken=${encodeURIComponent(`PA${edited}`)}`);
      expect({ status, code: body.code }, edited).toEqual({ status: 400, code: 21481 });
    }
  });
});

describe("a Twilio PageToken is the store's timeline cursor in Twilio's dress", () => {
  it('GraphQL reads on from it; on another session both refuse it alike', async () => {
    const cursor = pageTokenOf((await twilioGet(alice, '/v1/Sessions/long/Messages?PageSize=3')).body.meta.next_page_url!).slice(2);
    const after = await graphql(fixture.gateway, alice.authToken, TimelinePage, { session: 'long', first: 1, after: cursor });
    expect(after.errors).toBeUndefined();
    expect(after.data!.session!.messages.edges).toHaveLength(1);
    const graphqlRefusal = await graphql(fixture.gateway, alice.authToken, TimelinePage, { session: 'alice-2', first: 3, after: cursor });
    expect(graphqlRefusal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const twilioRefusal = await twilioGet(alice, `/v1/Sessions/alice-2/Messages?PageSize=3&Page=1&PageToken=${encodeURIComponent(`PA${cursor}`)}`);
    expect(twilioRefusal).toMatchObject({ status: 400, body: { code: 21481, message: graphqlRefusal.errors![0]!.message } });
  });
});

describe('a timeline cursor handed out by the release before single-block cursors', () => {
  it('still reads on in its own session, and only there', async () => {
    const sealingKey = await loadSealingKey(fixture.db.prisma);
    const { id: sessionPk } = await fixture.db.prisma.session.findFirstOrThrow({ where: { accountSid: alice.accountSid, sessionId: 'long' } });
    // What that release's timelineCursor wrote for position 500: the position, sealed for the session's timeline.
    const position = Buffer.alloc(4);
    position.writeUInt32BE(500);
    const earlier = sealingKey.seal(`timeline:${sessionPk}`, position);
    expect(earlier).not.toBe((await timeline('long', 500)).messages.edges[499]!.cursor);
    expect((await timeline('long', 2, earlier)).messages.edges.map((edge) => edge.node.position)).toEqual([501, 502]);
    const elsewhere = await graphql(fixture.gateway, alice.authToken, TimelinePage, { session: 'alice-2', first: 2, after: earlier });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe("another account's cursors", () => {
  it("Alice's session list cursor, given by Bob, is refused", async () => {
    const cursor = (await sessionPage(alice, { first: 1 })).data!.sessions.pageInfo.endCursor!;
    const { data, errors } = await sessionPage(bob, { first: 10, after: cursor });
    expect(data).toBeNull();
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.message).toMatch(/not a cursor this API handed out for this list/);
  });

  it("Alice's Twilio session list next_page_url, followed by Bob, is refused", async () => {
    const next = (await twilioGet(alice, '/v1/Sessions?PageSize=1')).body.meta.next_page_url!;
    expect(await twilioGet(bob, next)).toMatchObject({ status: 400, body: { code: 21481 } });
    expect((await twilioGet(alice, next)).status).toBe(200);
  });
});

describe('one key for the deployment', () => {
  it('every gateway on the database hands out the same ids and opens the ones another handed out', async () => {
    let other: RunningGateway | undefined;
    try {
      other = await startGateway(fixture.db.prisma);
      const here = await timeline('alice-3', 2);
      const there = await graphql(other, alice.authToken, TimelinePage, { session: 'alice-3', first: 2 });
      expect(there.data!.session).toEqual(here);
      const node = await graphql(other, alice.authToken, NodeById, { id: here.messages.edges[0]!.node.id });
      expect(node.data!.node).toEqual({ id: here.messages.edges[0]!.node.id, __typename: here.messages.edges[0]!.node.__typename });
      const after = await graphql(other, alice.authToken, TimelinePage, { session: 'alice-3', first: 2, after: here.messages.edges[0]!.cursor });
      expect(after.data!.session!.messages.edges.map((edge) => edge.node.position)).toEqual([2, 3]);
    } finally {
      await other?.close();
    }
  });

  it('gateways starting together on a new database make one key between them', async () => {
    const db = await openTestDatabase();
    try {
      const keys = await Promise.all(Array.from({ length: 4 }, () => loadSealingKey(db.prisma)));
      expect(new Set(keys.map((key) => key.seal('scope', Buffer.from('payload')))).size).toBe(1);
      expect(await db.prisma.deploymentKey.count()).toBe(1);
      // Another database is another deployment, with a key of its own.
      expect(keys[0]!.seal('scope', Buffer.from('payload'))).not.toBe((await loadSealingKey(fixture.db.prisma)).seal('scope', Buffer.from('payload')));
    } finally {
      await db.close();
    }
  });
});
