import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { useTestGateway } from './support/gateway.js';
import { createConversation } from './support/timeline.js';
import { twilioClient } from './support/twilio-client.js';

// The official Twilio helper library (twilio@6.0.2, the last with the Assistants client), unchanged.

const MESSAGES = 2500;
const fixture = useTestGateway();
let account: AccountCredentials;
let expectedIds: string[];

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
  // Sources are part of the GraphQL timeline only; the Twilio view lists the messages around them.
  const session = await createConversation(fixture.db.prisma, account.accountSid, 'voice:CA0123456789abcdef0123456789abcdef', MESSAGES);
  const messages = await fixture.db.prisma.timelineItem.findMany({ where: { sessionPk: session.id, kind: { not: 'SOURCE' } }, orderBy: { seq: 'asc' } });
  expectedIds = messages.map((message) => message.messageId!);
  expect(expectedIds).toHaveLength(MESSAGES);
});

function messagesOf(client: ReturnType<typeof twilioClient>) {
  return client.assistants.v1.sessions('voice:CA0123456789abcdef0123456789abcdef').messages;
}

function expectContractFields(message: Awaited<ReturnType<ReturnType<typeof messagesOf>['list']>>[number]) {
  expect(message.id).toMatch(/^aia_msg_.+$/);
  expect(message.accountSid).toBe(account.accountSid);
  expect(message.accountSid).toMatch(/^AC[0-9a-fA-F]{32}$/);
  expect(message.assistantId).toMatch(/^aia_asst_.+$/);
  expect(message.sessionId).toBe('voice:CA0123456789abcdef0123456789abcdef');
  expect(message.identity).toBe('user:test');
  expect(['user', 'assistant', 'tool', 'knowledge']).toContain(message.role);
  expect(message.content).toEqual({ text: expect.stringMatching(/^message \d+$/) });
  expect(message.meta).toEqual({});
  expect(message.dateCreated).toBeInstanceOf(Date);
  expect(message.dateCreated.getUTCMilliseconds()).toBe(0);
  expect(message.dateUpdated.getTime()).toBe(message.dateCreated.getTime());
}

describe.each([50, 1000])('the official Twilio library at page size %i', (pageSize) => {
  it('list() receives every message exactly once, in order, with every field', async () => {
    const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
    const messages = await messagesOf(client).list({ pageSize });
    expect(messages.map((message) => message.id)).toEqual(expectedIds);
    messages.forEach(expectContractFields);
  });

  it('each() visits every message exactly once, in order', async () => {
    const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) =>
      messagesOf(client).each({ pageSize, done: (error?: Error) => (error ? reject(error) : resolve()) }, (message) => {
        seen.push(message.id);
      }),
    );
    expect(seen).toEqual(expectedIds);
  });

  it('page() and nextPage() walk the pages to the end', async () => {
    const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
    const first = await messagesOf(client).page({ pageSize });
    const seen = first.instances.map((message) => message.id);
    let pages = 1;
    let lastNextPageUrl = first.nextPageUrl;
    for (let next = await first.nextPage(); next; next = await next.nextPage()) {
      expect(next.instances.length).toBeGreaterThan(0);
      seen.push(...next.instances.map((message) => message.id));
      lastNextPageUrl = next.nextPageUrl;
      pages++;
    }
    expect(seen).toEqual(expectedIds);
    expect(pages).toBe(Math.ceil(expectedIds.length / pageSize));
    expect(lastNextPageUrl).toBeUndefined();
  });
});

it('limit stops early, as the library promises', async () => {
  const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
  const messages = await messagesOf(client).list({ limit: 20 });
  expect(messages.map((message) => message.id)).toEqual(expectedIds.slice(0, 20));
});

it('raises RestException with the status and code for an unknown session and for bad credentials', async () => {
  const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
  await expect(client.assistants.v1.sessions('no-such-session').messages.list()).rejects.toMatchObject({
    status: 404,
    code: 20404,
    message: 'The requested resource /v1/Sessions/no-such-session/Messages was not found',
    moreInfo: 'https://www.twilio.com/docs/errors/20404',
  });
  const wrong = twilioClient(fixture.gateway.url, account.accountSid, 'not-the-token');
  await expect(messagesOf(wrong).list()).rejects.toMatchObject({ status: 401, code: 20003 });
  const unknown = twilioClient(fixture.gateway.url, `AC${'0'.repeat(32)}`, account.authToken);
  await expect(messagesOf(unknown).list()).rejects.toMatchObject({ status: 401, code: 20003 });
});

it('fetches sessions and lists them', async () => {
  const client = twilioClient(fixture.gateway.url, account.accountSid, account.authToken);
  const session = await client.assistants.v1.sessions('voice:CA0123456789abcdef0123456789abcdef').fetch();
  expect(session).toMatchObject({
    id: 'voice:CA0123456789abcdef0123456789abcdef',
    accountSid: account.accountSid,
    assistantId: 'aia_asst_test',
    verified: false,
    identity: 'user:test',
  });
  const sessions = await client.assistants.v1.sessions.list();
  expect(sessions.map((s) => s.id)).toEqual(['voice:CA0123456789abcdef0123456789abcdef']);
});
