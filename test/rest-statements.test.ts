import { beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { graphql, testSettings, useTestGateway } from './support/gateway.js';
import { createConversation } from './support/timeline.js';

// A page of the legacy APIs is one statement: the session lookup (with its assistant's id, which
// Twilio shows) and the page with its sources come back together. The recorded SQL is the evidence,
// next to the body the client reads.

// Credentials are read again only after the test: a re-read mid-test would count as one of the request's statements.
const fixture = useTestGateway({ settings: testSettings({ CREDENTIAL_CHECK_MS: '600000' }) });
let basic: string;
let bearer: string;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  basic = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  bearer = `Bearer ${account.authToken}`;
  await createConversation(fixture.db.prisma, account.accountSid, 'chat', 120);
  // The first request authenticates the token with a statement; later ones find the account cached.
  expect((await graphql(fixture.gateway, account.authToken, '{ account { sid } }')).errors).toBeUndefined();
  expect((await get('/v1/Sessions/chat/Messages?PageSize=1', basic)).status).toBe(200);
});

async function get(pathAndQuery: string, authorization: string) {
  const response = await fetch(new URL(pathAndQuery, fixture.gateway.url), { headers: { authorization } });
  return { status: response.status, body: (await response.json()) as any };
}

async function statementsFor(pathAndQuery: string, authorization: string) {
  fixture.db.statements.length = 0;
  const answer = await get(pathAndQuery, authorization);
  return { ...answer, statements: [...fixture.db.statements] };
}

it('a Twilio page of messages, the first and one a PageToken points at, is one statement each', async () => {
  const first = await statementsFor('/v1/Sessions/chat/Messages?PageSize=50', basic);
  expect(first.status).toBe(200);
  expect(first.body.messages).toHaveLength(50);
  expect(first.body.messages[0]).toMatchObject({ session_id: 'chat', assistant_id: 'aia_asst_test', identity: 'user:test' });
  expect(first.statements).toHaveLength(1);

  const next = await statementsFor(first.body.meta.next_page_url, basic);
  expect(next.status).toBe(200);
  expect(next.body.messages).toHaveLength(50);
  expect(next.body.messages[0].id).not.toBe(first.body.messages[0].id);
  expect(next.body.messages[0].assistant_id).toBe('aia_asst_test');
  expect(next.statements).toHaveLength(1);

  // From the third page, the previous page's URL carries a PageToken read backwards.
  const third = await get(next.body.meta.next_page_url, basic);
  const previous = await statementsFor(third.body.meta.previous_page_url, basic);
  expect(previous.body.meta.url).toContain('PageToken=');
  expect(previous.body.messages.map((message: { id: string }) => message.id)).toEqual(next.body.messages.map((message: { id: string }) => message.id));
  expect(previous.statements).toHaveLength(1);
});

it('a Twilio page reads of the sources its messages cite only the columns a Twilio message shows of them', async () => {
  const page = await statementsFor('/v1/Sessions/chat/Messages?PageSize=50', basic);
  expect(page.status).toBe(200);
  // A source's values, inside its message's row: one JSON array of the columns read.
  const source = /json_build_array\((s\."id"::text[^)]*)\) AS source/.exec(page.statements[0]!)?.[1];
  expect(source?.match(/s\."\w+"/g)).toEqual(['s."id"', 's."seq"', 's."kind"', 's."sourceKey"', 's."url"', 's."score"', 's."title"', 's."text"']);
});

it('a Twilio page of a session the account does not have is one statement, and not found', async () => {
  const missing = await statementsFor('/v1/Sessions/nothing-here/Messages?PageSize=50', basic);
  expect(missing.status).toBe(404);
  expect(missing.statements).toHaveLength(1);
});

it('the analytics array of a session that fits one page is one statement, as is a session the account does not have', async () => {
  const array = await statementsFor('/api/v1/conversations/chat/messages', bearer);
  expect(array.status).toBe(200);
  expect(array.body.length).toBeGreaterThan(50);
  expect(array.statements).toHaveLength(1);

  const missing = await statementsFor('/api/v1/conversations/nothing-here/messages', bearer);
  expect(missing.status).toBe(404);
  expect(missing.statements).toHaveLength(1);
});
