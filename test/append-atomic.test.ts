import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';

// An append that the database refuses half-way (a trigger this test creates refuses one source)
// must leave nothing behind: no rows, no claimed positions, no changed updatedAt.

const AtomicAppend = gql(`
  mutation AtomicAppend($messages: [MessageInput!]!) {
    appendMessages(sessionId: "atomic", messages: $messages) {
      messagesCreated messagesAlreadyPresent sourcesCreated
      items { position ... on ConversationMessage { messageId } ... on Source { key } }
    }
  }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;

const refusedAnswer = {
  messageId: 'answer',
  role: 'ASSISTANT' as const,
  text: 'Two sources [1][2]',
  createdAt: '2030-01-01T00:00:00Z',
  sources: [{ text: 'fine' }, { key: 'refused', text: 'the trigger refuses this one' }],
};

async function storedState() {
  const [session] = await fixture.db.prisma.$queryRaw<{ lastSeq: number; updatedAt: Date }[]>`
    SELECT "lastSeq", "updatedAt" FROM session WHERE "sessionId" = 'atomic'`;
  const items = await fixture.db.prisma.$queryRaw<{ seq: number }[]>`
    SELECT i.seq FROM timeline_item i JOIN session s ON s.id = i."sessionPk" WHERE s."sessionId" = 'atomic' ORDER BY i.seq`;
  return { ...session!, positions: items.map((item) => item.seq) };
}

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  await graphql(fixture.gateway, alice.authToken, `mutation { createSession(sessionId: "atomic") { created } }`);
  await fixture.db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION refuse_one_source() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW."sourceKey" = 'refused' THEN RAISE EXCEPTION 'source refused by the test trigger'; END IF;
      RETURN NEW;
    END $$`);
  await fixture.db.prisma.$executeRawUnsafe(
    'CREATE TRIGGER refuse_one_source BEFORE INSERT ON timeline_item FOR EACH ROW EXECUTE FUNCTION refuse_one_source()',
  );
});

describe('an append the database refuses half-way', () => {
  it('stores nothing of the call, and the next append gets the next position', async () => {
    const before = await storedState();
    const refused = await graphql(fixture.gateway, alice.authToken, AtomicAppend, { messages: [{ messageId: 'question', role: 'USER', text: 'Why?' }, refusedAnswer] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await storedState()).toEqual(before);

    const next = await graphql(fixture.gateway, alice.authToken, AtomicAppend, { messages: [{ messageId: 'question', role: 'USER', text: 'Why?' }] });
    expect(next.data!.appendMessages).toEqual({ messagesCreated: 1, messagesAlreadyPresent: 0, sourcesCreated: 0, items: [{ position: 1, messageId: 'question' }] });
  });

  it('stores the message with all its sources on the identical retry once the database accepts it', async () => {
    await fixture.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_one_source ON timeline_item');
    const retry = await graphql(fixture.gateway, alice.authToken, AtomicAppend, { messages: [{ messageId: 'question', role: 'USER', text: 'Why?' }, refusedAnswer] });
    expect(retry.data!.appendMessages).toEqual({
      messagesCreated: 1,
      messagesAlreadyPresent: 1,
      sourcesCreated: 2,
      items: [
        { position: 2, messageId: 'answer' },
        { position: 3, key: '1' },
        { position: 4, key: 'refused' },
      ],
    });
    const after = await storedState();
    expect(after.positions).toEqual([1, 2, 3, 4]);
    expect(after.updatedAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});
