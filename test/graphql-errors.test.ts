import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { encodeGlobalId } from '../src/graphql/global-id.js';
import { createAccount } from '../src/store/accounts.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { createTimeline } from './support/timeline.js';

const Messages = gql(`
  query Messages($session: ID!, $first: Int, $last: Int, $after: String, $before: String) {
    session(id: $session) {
      messages(first: $first, last: $last, after: $after, before: $before) {
        edges { cursor node { position } }
      }
    }
  }
`);

const fixture = useTestGateway();
let token: string;
let otherSessionCursor: string;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 'a', 5);
  await createTimeline(fixture.db.prisma, account.accountSid, 'b', 5);
  const { data } = await graphql(fixture.gateway, token, Messages, { session: 'b', first: 2 });
  otherSessionCursor = data!.session!.messages.edges[1]!.cursor;
});

describe('bad input gets a GraphQL error with a code, and the server keeps serving', () => {
  const cases: [string, () => Record<string, unknown>, string, RegExp][] = [
    ['a malformed cursor', () => ({ first: 2, after: 'not-a-cursor' }), 'BAD_USER_INPUT', /not a cursor this API handed out/],
    ["another session's cursor", () => ({ first: 2, after: otherSessionCursor }), 'BAD_USER_INPUT', /not a cursor this API handed out for this list/],
    ['first with last', () => ({ first: 2, last: 2 }), 'BAD_USER_INPUT', /not both "first" and "last"/],
    ['a negative size', () => ({ first: -1 }), 'BAD_USER_INPUT', /"first" must be between 0 and 1000, got -1/],
    ['an over-limit size', () => ({ last: 1001 }), 'BAD_USER_INPUT', /"last" must be between 0 and 1000, got 1001/],
  ];
  it.each(cases)('%s', async (_name, variables, code, message) => {
    const response = await graphql(fixture.gateway, token, Messages, { session: 'a', ...variables() });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ session: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toMatch(message);
    expect(response.errors![0]!.extensions?.code).toBe(code);
    const healthy = await graphql(fixture.gateway, token, Messages, { session: 'a', first: 1 });
    expect(healthy.data!.session!.messages.edges).toHaveLength(1);
  });

  it('a syntax error', async () => {
    const response = await graphql(fixture.gateway, token, '{ session(id: "a") { messages(first: 1) { edges { node { position } }');
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/Syntax Error/);
    expect(response.errors![0]!.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field', async () => {
    const response = await graphql(fixture.gateway, token, '{ session(id: "a") { nope } }');
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/Cannot query field "nope" on type "Session"/);
    expect(response.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an unknown session is null, not an error', async () => {
    const response = await graphql(fixture.gateway, token, Messages, { session: 'no-such-session', first: 1 });
    expect(response).toEqual({ status: 200, data: { session: null } });
  });

  it('unknown and malformed node ids', async () => {
    const unknown = encodeGlobalId('ChatMessage', 999999n, { sealingKey: await loadSealingKey(fixture.db.prisma) });
    const response = await graphql(fixture.gateway, token, `{ node(id: "${unknown}") { id } }`);
    expect(response).toEqual({ status: 200, data: { node: null } });
    const malformed = await graphql(fixture.gateway, token, '{ node(id: "%%%") { id } }');
    expect(malformed.data).toEqual({ node: null });
    expect(malformed.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const madeUp = await graphql(fixture.gateway, token, `{ node(id: "${Buffer.from('Session:1').toString('base64')}") { id } }`);
    expect(madeUp.errors![0]!.message).toMatch(/is not an id this API handed out/);
    expect(madeUp.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('missing and wrong credentials get 401 UNAUTHENTICATED', async () => {
    for (const credentials of [null, 'wrong-token']) {
      const response = await graphql(fixture.gateway, credentials, Messages, { session: 'a' });
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(response.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
