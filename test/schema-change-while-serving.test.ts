import { beforeAll, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { basicAuth, send } from './support/http.js';
import { createTimeline } from './support/timeline.js';

// On PostgreSQL the gateway's reads are prepared statements, kept on each pooled connection. A
// rolling deploy adds columns to tables that running gateways are reading: their statements must
// keep answering, with the same rows, rather than fail with "cached plan must not change result type".

const fixture = useTestGateway();
let token: string;
let accountSid: string;

const Page = gql(`
  query MigratingPage($session: ID!) {
    session(id: $session) { sessionId messages(first: 30) { edges { node { __typename position ... on ChatMessage { sources { key } } } } } }
  }
`);

async function readEverything() {
  const { data, errors } = await graphql(fixture.gateway, token, Page, { session: 'migrating' });
  expect(errors).toBeUndefined();
  const twilio = await send(fixture.gateway.url, '/v1/Sessions/migrating/Messages?PageSize=20', { headers: { authorization: basicAuth(accountSid, token) } });
  expect(twilio.status).toBe(200);
  const analytics = await send(fixture.gateway.url, '/api/v1/conversations/migrating/messages', { headers: { authorization: `Bearer ${token}` } });
  expect(analytics.status).toBe(200);
  return { data, twilio: twilio.json, analytics: analytics.json };
}

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  accountSid = account.accountSid;
  await createTimeline(fixture.db.prisma, accountSid, 'migrating', 40);
});

it('keeps serving the same pages on every surface when columns are added to the tables under it', async () => {
  // More runs than PostgreSQL's five custom plans, so the statements are prepared and planned generically.
  let before = await readEverything();
  for (let n = 0; n < 7; n++) before = await readEverything();
  await fixture.db.prisma.$executeRawUnsafe('ALTER TABLE session ADD COLUMN "addedByALaterRelease" text');
  await fixture.db.prisma.$executeRawUnsafe('ALTER TABLE timeline_item ADD COLUMN "addedByALaterRelease" text');
  for (let n = 0; n < 3; n++) expect(await readEverything()).toEqual(before);
  expect(before.data!.session!.messages.edges).toHaveLength(30);
});
