import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';

// Concurrent writers to one session over real connections: only PostgreSQL runs transactions side
// by side (embedded PGlite has one connection and runs them one after another).

const RacingAppend = gql(`
  mutation RacingAppend($sessionId: ID!, $messages: [MessageInput!]!) {
    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated messagesAlreadyPresent sourcesCreated }
  }
`);

const RacingCreateSession = gql(`
  mutation RacingCreateSession($sessionId: String!) {
    createSession(sessionId: $sessionId, assistantId: "aia_asst_race") { created session { sessionId } }
  }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;

async function createSession(sessionId: string) {
  const { data, errors } = await graphql(fixture.gateway, alice.authToken, RacingCreateSession, { sessionId });
  expect(errors).toBeUndefined();
  return data!.createSession;
}

function append(sessionId: string, messages: { messageId: string; role: 'USER' | 'ASSISTANT'; text: string; sources?: { text: string }[] }[]) {
  return graphql(fixture.gateway, alice.authToken, RacingAppend, { sessionId, messages });
}

async function positionsOf(sessionId: string): Promise<number[]> {
  const rows = await fixture.db.prisma.$queryRaw<{ seq: number }[]>`
    SELECT i.seq FROM timeline_item i JOIN session s ON s.id = i."sessionPk" WHERE s."sessionId" = ${sessionId} ORDER BY i.seq`;
  return rows.map((row) => row.seq);
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
});

describe.skipIf(!process.env.DATABASE_URL)('concurrent writers to one session', () => {
  it('20 writers x 25 calls: no error, positions 1..500', async () => {
    await createSession('writers');
    const writer = async (w: number) => {
      for (let call = 0; call < 25; call++) {
        const { errors } = await append('writers', [{ messageId: `w${w}-c${call}`, role: 'USER', text: `writer ${w}, call ${call}` }]);
        expect(errors).toBeUndefined();
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, w) => writer(w)));
    expect(await positionsOf('writers')).toEqual(oneToN(500));
  });

  it('20 clients sending the same batch at once all succeed, and the batch is stored once, gap-free', async () => {
    await createSession('retries');
    const batch = Array.from({ length: 5 }, (_, n) => ({
      messageId: `m${n}`,
      role: 'ASSISTANT' as const,
      text: `answer ${n}`,
      sources: [{ text: 'one' }, { text: 'two' }],
    }));
    const results = await Promise.all(Array.from({ length: 20 }, () => append('retries', batch)));
    for (const { errors } of results) expect(errors).toBeUndefined();
    const outcomes = results.map(({ data }) => data!.appendMessages);
    expect(outcomes.filter((outcome) => outcome.messagesCreated === 5 && outcome.sourcesCreated === 10)).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.messagesAlreadyPresent === 5 && outcome.messagesCreated === 0)).toHaveLength(19);
    expect(await positionsOf('retries')).toEqual(oneToN(15));
  });

  it('two different messages with one id racing: one CONFLICT, one success, every time', async () => {
    await createSession('conflicts');
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(
        ['first', 'second'].map((text) => append('conflicts', [{ messageId: `same-${round}`, role: 'USER', text }])),
      );
      const codes = results.map(({ errors }) => errors?.[0]?.extensions?.code ?? 'OK').sort();
      expect(codes).toEqual(['CONFLICT', 'OK']);
    }
    expect(await positionsOf('conflicts')).toEqual(oneToN(10));
  });

  it('one session created by 10 callers at once: every caller gets it, one created it', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => createSession('created-at-once')));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    for (const result of results) expect(result.session.sessionId).toBe('created-at-once');
  });
});
