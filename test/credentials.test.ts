import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount, rotateAuthToken, type AccountCredentials } from '../src/store/accounts.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../src/store/api-keys.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { createConversation } from './support/timeline.js';
import { twilioClient } from './support/twilio-client.js';

const SESSION = 'voice:CAkeys';
const MESSAGES = 120;
const fixture = useTestGateway();
let account: AccountCredentials;
let expectedIds: string[];

const AppendWithKey = gql(`
  mutation AppendWithKey($sessionId: ID!, $messageId: String!) {
    appendMessages(sessionId: $sessionId, messages: [{ messageId: $messageId, role: USER, text: "hello" }]) { messagesCreated }
  }
`);

const WhoAmI = gql(`query WhoAmI { account { sid } sessions { totalCount } }`);

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma, 'Keys');
  const session = await createConversation(fixture.db.prisma, account.accountSid, SESSION, MESSAGES);
  const messages = await fixture.db.prisma.timelineItem.findMany({ where: { sessionPk: session.id, kind: { not: 'SOURCE' } }, orderBy: { seq: 'asc' } });
  expectedIds = messages.map((message) => message.messageId!);
});

function analytics(credential: string) {
  return fetch(`${fixture.gateway.url}/api/v1/conversations/${encodeURIComponent(SESSION)}/messages`, { headers: { authorization: `Bearer ${credential}` } });
}

describe('API keys', () => {
  it('a key pages through Twilio with the helper library API-key form: twilio(keySid, secret, { accountSid })', async () => {
    const key = await createApiKey(fixture.db.prisma, account.accountSid, { name: 'reporting' });
    expect(key.sid).toMatch(/^SK[0-9a-f]{32}$/);
    const client = twilioClient(fixture.gateway.url, key.sid, key.secret, account.accountSid);
    const messages = await client.assistants.v1.sessions(SESSION).messages.list({ pageSize: 50 });
    expect(messages.map((message) => message.id)).toEqual(expectedIds);
    expect(new Set(messages.map((message) => message.accountSid))).toEqual(new Set([account.accountSid]));
  });

  it('the secret is a bearer token on GraphQL and analytics; the account auth token keeps working', async () => {
    const key = await createApiKey(fixture.db.prisma, account.accountSid);
    expect(await graphql(fixture.gateway, key.secret, WhoAmI)).toMatchObject({ status: 200, data: { account: { sid: account.accountSid } } });
    expect((await analytics(key.secret)).status).toBe(200);
    expect((await analytics(account.authToken)).status).toBe(200);
  });

  it('a secret with another key sid, or the auth token with a key sid, is refused', async () => {
    const [first, second] = [await createApiKey(fixture.db.prisma, account.accountSid), await createApiKey(fixture.db.prisma, account.accountSid)];
    for (const [user, secret] of [
      [first.sid, second.secret],
      [first.sid, account.authToken],
      [account.accountSid, first.secret],
    ]) {
      const response = await fetch(`${fixture.gateway.url}/v1/Sessions`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` } });
      expect(response.status, `${user}:${secret}`).toBe(401);
    }
  });

  it('a revoked key is refused at once, on every surface, though it was just accepted', async () => {
    const key = await createApiKey(fixture.db.prisma, account.accountSid);
    expect((await analytics(key.secret)).status).toBe(200);
    await revokeApiKey(fixture.db.prisma, key.sid);
    expect(await listApiKeys(fixture.db.prisma, account.accountSid)).not.toContainEqual(expect.objectContaining({ sid: key.sid }));
    expect(await (await analytics(key.secret)).json()).toMatchObject({ status: 'error', error: { code: 'authentication_error' } });
    expect(await graphql(fixture.gateway, key.secret, WhoAmI)).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const twilio = twilioClient(fixture.gateway.url, key.sid, key.secret, account.accountSid);
    await expect(twilio.assistants.v1.sessions(SESSION).messages.list({ limit: 1 })).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('a read-only key reads but cannot append: FORBIDDEN, and nothing is written', async () => {
    const key = await createApiKey(fixture.db.prisma, account.accountSid, { readOnly: true });
    expect(await graphql(fixture.gateway, key.secret, WhoAmI)).toMatchObject({ data: { sessions: { totalCount: 1 } } });
    const refused = await graphql(fixture.gateway, key.secret, AppendWithKey, { sessionId: SESSION, messageId: 'read-only-1' });
    expect(refused.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/is read-only/), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    expect(refused.data ?? null).toBeNull();
    expect(await fixture.db.prisma.timelineItem.count({ where: { messageId: 'read-only-1' } })).toBe(0);

    const writer = await createApiKey(fixture.db.prisma, account.accountSid);
    expect(await graphql(fixture.gateway, writer.secret, AppendWithKey, { sessionId: SESSION, messageId: 'read-write-1' })).toMatchObject({
      data: { appendMessages: { messagesCreated: 1 } },
    });
  });
});

describe('rotating the auth token', () => {
  it('refuses the old token at once, though it was just accepted, and accepts the new one', async () => {
    const rotating = await createAccount(fixture.db.prisma, 'Rotating');
    expect(await graphql(fixture.gateway, rotating.authToken, WhoAmI)).toMatchObject({ status: 200 });
    const rotated = await rotateAuthToken(fixture.db.prisma, rotating.accountSid);
    expect(rotated.authToken).not.toBe(rotating.authToken);
    expect(await graphql(fixture.gateway, rotating.authToken, WhoAmI)).toMatchObject({ status: 401 });
    expect(await graphql(fixture.gateway, rotated.authToken, WhoAmI)).toMatchObject({ status: 200, data: { account: { sid: rotating.accountSid } } });
    const basic = (token: string) =>
      fetch(`${fixture.gateway.url}/v1/Sessions`, { headers: { authorization: `Basic ${Buffer.from(`${rotating.accountSid}:${token}`).toString('base64')}` } });
    expect((await basic(rotating.authToken)).status).toBe(401);
    expect((await basic(rotated.authToken)).status).toBe(200);
  });
});
