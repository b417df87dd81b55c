import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { subscribe } from './support/subscription.js';

const CreateSession = gql(`
  mutation CreateSession($sessionId: String!, $name: String) {
    createSession(sessionId: $sessionId, name: $name, assistantId: "aia_asst_live", identity: "user:live") {
      created
      session { sessionId name identity assistant { assistantId } }
    }
  }
`);

const Append = gql(`
  mutation Append($sessionId: ID!, $messages: [MessageInput!]!) {
    appendMessages(sessionId: $sessionId, messages: $messages) {
      messagesCreated messagesAlreadyPresent sourcesCreated
      items { __typename position ... on ConversationMessage { messageId role text content meta origin } ... on Source { key url } }
    }
  }
`);

const Timeline = gql(`
  query LiveTimeline($session: ID!) {
    session(id: $session) { messages(first: 1000) { totalCount edges { node { position ... on ConversationMessage { messageId } } } } }
  }
`);

const MessageAdded = gql(`
  subscription MessageAdded($sessionId: ID!) {
    messageAdded(sessionId: $sessionId) {
      cursor
      session { sessionId }
      message { __typename position ... on ChatMessage { messageId text sources { key } } ... on Source { key } }
    }
  }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  for (const [account, sessionId] of [[alice, 'chat'], [alice, 'busy'], [bob, 'chat']] as const) {
    const { data } = await graphql(fixture.gateway, account.authToken, CreateSession, { sessionId, name: `${sessionId}-name` });
    expect(data!.createSession.created).toBe(true);
  }
});

const question = { messageId: 'q1', role: 'USER' as const, text: 'Where is my order? 📦' };
const answer = {
  messageId: 'a1',
  role: 'ASSISTANT' as const,
  text: 'It ships today [1].',
  confidence: 0.8,
  meta: { model: 'm' },
  sources: [{ text: 'Orders ship within a day', url: null, score: 0.9 }, { key: '7', text: 'Tracking', url: 'https://x.test', score: 0.5, title: 'T' }],
};

describe('createSession', () => {
  it('returns the session you already have with that id', async () => {
    const { data } = await graphql(fixture.gateway, alice.authToken, CreateSession, { sessionId: 'chat' });
    expect(data!.createSession).toEqual({
      created: false,
      session: { sessionId: 'chat', name: 'chat-name', identity: 'user:live', assistant: { assistantId: 'aia_asst_live' } },
    });
  });

  it('refuses a name another session has', async () => {
    const { errors } = await graphql(fixture.gateway, alice.authToken, CreateSession, { sessionId: 'other', name: 'chat-name' });
    expect(errors![0]).toMatchObject({ message: 'Another of your sessions is already named "chat-name"', extensions: { code: 'CONFLICT' } });
  });
});

describe('appendMessages', () => {
  it('appends messages and their sources in order, once', async () => {
    const first = await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'chat', messages: [question, answer] });
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(first.data!.appendMessages).toMatchObject({ messagesCreated: 2, messagesAlreadyPresent: 0, sourcesCreated: 2 });
    expect(first.data!.appendMessages.items).toEqual([
      { __typename: 'ChatMessage', position: 1, messageId: 'q1', role: 'USER', text: 'Where is my order? 📦', content: null, meta: null, origin: 'ANALYTICS' },
      { __typename: 'ChatMessage', position: 2, messageId: 'a1', role: 'ASSISTANT', text: 'It ships today [1].', content: null, meta: { model: 'm' }, origin: 'ANALYTICS' },
      { __typename: 'Source', position: 3, key: '1', url: null },
      { __typename: 'Source', position: 4, key: '7', url: 'https://x.test' },
    ]);
    const again = await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'chat', messages: [question, answer] });
    expect(again.data!.appendMessages).toEqual({ messagesCreated: 0, messagesAlreadyPresent: 2, sourcesCreated: 0, items: [] });
  });

  it('refuses a message id seen with other content, and writes nothing of that call', async () => {
    const before = await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'chat' });
    const response = await graphql(fixture.gateway, alice.authToken, Append, {
      sessionId: 'chat',
      messages: [{ messageId: 'new-1', role: 'USER', text: 'fresh' }, { ...question, text: 'edited' }],
    });
    expect(response.errors![0]).toMatchObject({ message: expect.stringContaining('"q1" is already stored with different content'), extensions: { code: 'CONFLICT' } });
    expect(await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'chat' })).toEqual(before);
  });

  it.each([
    ['a role that does not fit the type', { messageId: 'x', type: 'TOOL_CALL', role: 'USER' }, 'messages[1].role: a TOOL_CALL has role TOOL, not USER'],
    ['an empty id', { messageId: ' ', role: 'USER' }, 'messages[1].messageId: must not be empty'],
    ['content that is not an object', { messageId: 'x', role: 'USER', content: 'text' }, 'messages[1].content: must be a JSON object'],
    ['a source as a message', { messageId: 'x', type: 'SOURCE', role: 'USER' }, 'messages[1].type: a source is appended in the `sources` of the message it belongs to'],
    ['a repeated source key', { messageId: 'x', role: 'ASSISTANT', sources: [{ key: '1', text: 'a' }, { key: '1', text: 'b' }] }, 'messages[1].sources: key "1" is used twice'],
  ])('names the item and field: %s', async (_name, bad, message) => {
    const response = await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'chat', messages: [{ messageId: 'ok', role: 'USER' }, bad as typeof question] });
    expect(response.errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it("cannot write to another account's session", async () => {
    const response = await graphql(fixture.gateway, bob.authToken, Append, { sessionId: 'busy', messages: [question] });
    expect(response.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});

describe('messageAdded over Server-Sent Events', () => {
  it('delivers each appended item, sources included, with a cursor to resume from', async () => {
    const subscription = await subscribe(fixture.gateway.url, alice.authToken, MessageAdded, { sessionId: 'chat-name' });
    try {
      await graphql(fixture.gateway, alice.authToken, Append, {
        sessionId: 'chat',
        messages: [{ messageId: 'live-1', role: 'ASSISTANT', text: 'Live!', sources: [{ text: 's', url: null, score: 1 }] }],
      });
      const message = await subscription.next();
      const source = await subscription.next();
      expect(message.messageAdded.message).toEqual({ __typename: 'ChatMessage', position: 5, messageId: 'live-1', text: 'Live!', sources: [{ key: '1' }] });
      expect(message.messageAdded.session).toEqual({ sessionId: 'chat' });
      expect(source.messageAdded.message).toEqual({ __typename: 'Source', position: 6, key: '1' });
      const resumed = await graphql(fixture.gateway, alice.authToken, gql(`query Resume($after: String) { session(id: "chat") { messages(after: $after) { edges { node { position } } } } }`), {
        after: message.messageAdded.cursor,
      });
      expect(resumed.data!.session!.messages.edges).toEqual([{ node: { position: 6 } }]);
    } finally {
      subscription.close();
    }
  });

  it('reads each event afresh: the session\'s latest page and count on every event, not the first event\'s', async () => {
    const Latest = gql(`
      subscription LatestPage($sessionId: ID!) {
        messageAdded(sessionId: $sessionId) {
          message { position }
          session { messages(last: 1) { totalCount edges { node { position } } } }
        }
      }
    `);
    const subscription = await subscribe(fixture.gateway.url, alice.authToken, Latest, { sessionId: 'busy' });
    try {
      for (const messageId of ['busy-1', 'busy-2', 'busy-3']) {
        await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'busy', messages: [{ messageId, role: 'USER', text: messageId }] });
        const { messageAdded } = await subscription.next();
        const position = messageAdded.message.position;
        expect(messageAdded.session.messages).toEqual({ totalCount: position, edges: [{ node: { position } }] });
      }
    } finally {
      subscription.close();
    }
  });

  it("never delivers another account's events, and refuses another account's session", async () => {
    const bobs = await subscribe(fixture.gateway.url, bob.authToken, MessageAdded, { sessionId: 'chat' });
    try {
      await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'chat', messages: [{ messageId: 'alice-only', role: 'USER', text: 'secret' }] });
      await graphql(fixture.gateway, bob.authToken, Append, { sessionId: 'chat', messages: [{ messageId: 'bob-1', role: 'USER', text: 'mine' }] });
      expect((await bobs.next()).messageAdded.message).toMatchObject({ messageId: 'bob-1' });
      // Bob's next message is the next event: nothing of Alice's came in between.
      await graphql(fixture.gateway, bob.authToken, Append, { sessionId: 'chat', messages: [{ messageId: 'bob-2', role: 'USER', text: 'mine too' }] });
      expect((await bobs.next()).messageAdded.message).toMatchObject({ messageId: 'bob-2' });
      expect(bobs.pending()).toEqual([]);
    } finally {
      bobs.close();
    }
    const refused = await subscribe(fixture.gateway.url, bob.authToken, MessageAdded, { sessionId: 'busy' });
    await expect(refused.next()).rejects.toThrow(/You have no session \\"busy\\"/);
    refused.close();
  });
});
