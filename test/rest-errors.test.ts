import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { expectMatchesOpenApi } from './support/openapi.js';
import { createConversation } from './support/timeline.js';

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  await createConversation(fixture.db.prisma, alice.accountSid, 'alice-1', 30);
  await createConversation(fixture.db.prisma, alice.accountSid, 'alice-2', 30);
  await createConversation(fixture.db.prisma, bob.accountSid, 'bob-1', 12);
  // Bob's session of the same id says other things: serving one account the other's would show.
  await createConversation(fixture.db.prisma, bob.accountSid, 'same-id', 3, 'bobs');
  await createConversation(fixture.db.prisma, alice.accountSid, 'same-id', 5);
});

const basic = (account: AccountCredentials, token = account.authToken) =>
  `Basic ${Buffer.from(`${account.accountSid}:${token}`).toString('base64')}`;
const bearer = (account: AccountCredentials) => `Bearer ${account.authToken}`;

/** A GET as a client sends it; every answer is also checked against /openapi.json. */
async function get(path: string, authorization?: string) {
  const response = await fetch(`${fixture.gateway.url}${path}`, { headers: authorization ? { authorization } : {} });
  const body = (await response.json()) as any;
  if (path !== '/api/v1/conversations') expectMatchesOpenApi(path, response.status, body);
  return { status: response.status, body };
}

function twilioError(status: number, code: number, message: string | RegExp) {
  return {
    status,
    body: { code, message: typeof message === 'string' ? message : expect.stringMatching(message), more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

function analyticsError(status: number, code: string, message: RegExp) {
  return { status, body: { status: 'error', error: { code, message: expect.stringMatching(message) } } };
}

describe('Twilio errors, each in its shape and never a 500', () => {
  it.each([
    ['no credentials', '/v1/Sessions/alice-1/Messages', () => undefined, 401, 20003, /Authentication required/],
    ['a wrong token', '/v1/Sessions/alice-1/Messages', () => basic(alice, 'wrong'), 401, 20003, /not accepted/],
    ['an unknown session', '/v1/Sessions/nope/Messages', () => basic(alice), 404, 20404, 'The requested resource /v1/Sessions/nope/Messages was not found'],
    ["another account's session", '/v1/Sessions/bob-1/Messages', () => basic(alice), 404, 20404, 'The requested resource /v1/Sessions/bob-1/Messages was not found'],
    ["another account's session, fetched", '/v1/Sessions/bob-1', () => basic(alice), 404, 20404, 'The requested resource /v1/Sessions/bob-1 was not found'],
    ['PageSize 0', '/v1/Sessions/alice-1/Messages?PageSize=0', () => basic(alice), 400, 20001, /PageSize.*"0"/],
    ['PageSize 1001', '/v1/Sessions/alice-1/Messages?PageSize=1001', () => basic(alice), 400, 20007, /Page size too large/],
    ['PageSize abc', '/v1/Sessions/alice-1/Messages?PageSize=abc', () => basic(alice), 400, 20001, /PageSize.*"abc"/],
    ['Page -1', '/v1/Sessions/alice-1/Messages?Page=-1', () => basic(alice), 400, 20001, /Invalid Page/],
    ['a garbage PageToken', '/v1/Sessions/alice-1/Messages?PageToken=garbage', () => basic(alice), 400, 21481, /Invalid PageToken/],
    ['a PageToken that is not a cursor', '/v1/Sessions/alice-1/Messages?PageToken=PAxyz', () => basic(alice), 400, 21481, /not a cursor this API handed out/],
  ])('%s', async (_name, path, authorization, status, code, message) => {
    expect(await get(path, authorization())).toEqual(twilioError(status, code, message));
    expect((await get('/v1/Sessions/alice-1/Messages?PageSize=1', basic(alice))).status).toBe(200);
  });

  it("a PageToken from another session is refused", async () => {
    const first = await get('/v1/Sessions/alice-2/Messages?PageSize=5', basic(alice));
    const token = new URL(first.body.meta.next_page_url).searchParams.get('PageToken');
    expect(await get(`/v1/Sessions/alice-1/Messages?PageSize=5&Page=1&PageToken=${token}`, basic(alice))).toEqual(
      twilioError(400, 21481, /not a cursor this API handed out for this list/),
    );
  });

  it('a method other than GET', async () => {
    const response = await fetch(`${fixture.gateway.url}/v1/Sessions/alice-1/Messages`, { method: 'POST', headers: { authorization: basic(alice) } });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { code: number }).code).toBe(20004);
  });
});

describe('analytics errors, each in its shape and never a 500', () => {
  it.each([
    ['no credentials', '/api/v1/conversations/alice-1/messages', () => undefined, 401, 'authentication_error', /Authentication required/],
    ['a wrong token', '/api/v1/conversations/alice-1/messages', () => 'Bearer wrong', 401, 'authentication_error', /not accepted/],
    ['an unknown session', '/api/v1/conversations/nope/messages', () => bearer(alice), 404, 'resource_not_found', /"nope" was not found/],
    ["another account's session", '/api/v1/analytics/conversations/bob-1/messages', () => bearer(alice), 404, 'resource_not_found', /"bob-1" was not found/],
    ['an unknown path', '/api/v1/conversations', () => bearer(alice), 404, 'resource_not_found', /Nothing at/],
  ])('%s', async (_name, path, authorization, status, code, message) => {
    expect(await get(path, authorization())).toEqual(analyticsError(status, code, message));
  });
});

describe('tenant isolation: each account reaches only its own sessions, through every route', () => {
  // Both accounts have a session "same-id": Alice's holds 5 messages (3 of them chat messages), Bob's 3 (1).
  it.each([
    ['alice', 'same-id', ['aia_msg_same-id_0', 'aia_msg_same-id_1', 'aia_msg_same-id_2', 'aia_msg_same-id_3', 'aia_msg_same-id_4'], ['alice-1', 'alice-2', 'same-id']],
    ['bob', 'same-id', ['aia_msg_bobs_0', 'aia_msg_bobs_1', 'aia_msg_bobs_2'], ['bob-1', 'same-id']],
  ] as const)('%s', async (name, sessionId, messageIds, sessionIds) => {
    const account = name === 'alice' ? alice : bob;
    const twilio = await get(`/v1/Sessions/${sessionId}/Messages`, basic(account));
    expect(twilio.body.messages.map((message: { id: string }) => message.id)).toEqual(messageIds);
    expect(new Set(twilio.body.messages.map((message: { account_sid: string }) => message.account_sid))).toEqual(new Set([account.accountSid]));
    expect((await get(`/v1/Sessions/${sessionId}`, basic(account))).body.account_sid).toBe(account.accountSid);
    const list = await get('/v1/Sessions', basic(account));
    expect(list.body.sessions.map((session: { id: string }) => session.id)).toEqual(sessionIds);
    // The chat messages among them, each with its own text.
    const chatMessages = twilio.body.messages
      .filter((message: { role: string }) => message.role === 'user' || message.role === 'assistant')
      .map((message: { id: string; content: { text: string } }) => ({ id: message.id, content: message.content.text }));
    expect(chatMessages).toHaveLength(name === 'alice' ? 3 : 1);
    for (const prefix of ['/api/v1', '/api/v1/analytics']) {
      const analytics = await get(`${prefix}/conversations/${sessionId}/messages`, bearer(account));
      expect(analytics.body.map(({ id, content }: { id: string; content: string }) => ({ id, content }))).toEqual(chatMessages);
    }
    const { data } = await graphql(fixture.gateway, account.authToken, `{ sessions { edges { node { sessionId } } } }`);
    expect((data as any).sessions.edges.map((edge: any) => edge.node.sessionId)).toEqual(sessionIds);
  });
});
