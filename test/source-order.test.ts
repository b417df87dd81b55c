import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { readChatMessagesPage } from '../src/store/chat-message-pages.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { ReadBudget } from '../src/store/read-budget.js';
import { ensureSession } from '../src/store/sessions.js';
import { openTestDatabase, setDatabaseDefaults, type TestDatabase } from './support/database.js';
import { appendOverGraphQL, graphql, startGateway, type StartedGateway } from './support/gateway.js';

// A message's sources come back in their order whatever plan PostgreSQL picks: here one with no
// index to hand them over in order, on a table whose rows are stored out of that order (a source
// updated after the others is written after them).

let db: TestDatabase;
let planned: Database | undefined;
let gateway: StartedGateway;
let account: AccountCredentials;
const NO_INDEX_PLANS = ['enable_indexscan', 'enable_bitmapscan', 'enable_indexonlyscan'];

beforeAll(async () => {
  db = await openTestDatabase();
  await setDatabaseDefaults(db, Object.fromEntries(NO_INDEX_PLANS.map((setting) => [setting, 'off'])));
  if (db.url) planned = await openDatabase({ url: db.url, migrate: false });
  const prisma = (planned ?? db).prisma;
  account = await createAccount(prisma);
  await ensureSession(prisma, account.accountSid, { sessionId: 'ordered' });
  gateway = await startGateway(prisma);
});

afterAll(async () => {
  await gateway?.close();
  await planned?.close();
  await db?.close();
});

it('sources come in their order on a timeline page, aliased pages and the analytics page, with no index plan and rows stored out of order', async () => {
  const prisma = (planned ?? db).prisma;
  const keys = ['1', '2', '3', '4'];
  const messages = [0, 1].map((n) => ({
    messageId: `m-${n}`,
    role: 'ASSISTANT',
    type: 'CHAT_MESSAGE',
    text: `message ${n}`,
    sources: keys.map((key) => ({ key, text: `source ${key} of ${n}` })),
  }));
  await appendOverGraphQL(gateway, account.authToken, 'ordered', messages);
  const moved = await prisma.$executeRawUnsafe(`UPDATE timeline_item SET title = 'updated' WHERE "parentId" IS NOT NULL AND "sourceKey" IN ('1', '3')`);
  expect(moved).toBe(4);
  const stored = await prisma.$queryRawUnsafe<{ sourceKey: string }[]>(`SELECT "sourceKey" FROM timeline_item WHERE "parentId" IS NOT NULL`);
  expect(stored.map((row) => row.sourceKey)).not.toEqual([...keys, ...keys]);

  const sources = `... on ChatMessage { sources { key } }`;
  const read = await graphql<{ session: Record<string, { edges: { node: { sources: { key: string }[] } }[] }> }, unknown>(
    gateway,
    account.authToken,
    `{ session(id: "ordered") {
      lone: messages(first: 10, types: [CHAT_MESSAGE]) { edges { node { ${sources} } } }
    } }`,
  );
  expect(read.errors).toBeUndefined();
  const aliased = await graphql<{ session: Record<string, { edges: { node: { sources: { key: string }[] } }[] }> }, unknown>(
    gateway,
    account.authToken,
    `{ session(id: "ordered") {
      forwards: messages(first: 10, types: [CHAT_MESSAGE]) { edges { node { ${sources} } } }
      backwards: messages(last: 10, types: [CHAT_MESSAGE]) { edges { node { ${sources} } } }
    } }`,
  );
  expect(aliased.errors).toBeUndefined();
  for (const page of [read.data!.session.lone!, aliased.data!.session.forwards!, aliased.data!.session.backwards!]) {
    expect(page.edges.map((edge) => edge.node.sources.map((source) => source.key))).toEqual([keys, keys]);
  }

  const analytics: string[][] = [];
  await readChatMessagesPage(prisma, { accountSid: account.accountSid, session: 'ordered', afterSeq: 0, limit: 10 }, new ReadBudget(1_000_000), (message) =>
    analytics.push((message.sources ?? []).map((source) => source.sourceKey!)),
  );
  expect(analytics).toEqual([keys, keys]);
});
