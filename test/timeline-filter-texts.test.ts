import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { ReadBudget } from '../src/store/read-budget.js';
import { loadTimelineWindows, type TimelineFilter } from '../src/store/timeline.js';
import type { Session } from '../src/store/sessions.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { createBulkTimeline } from './support/timeline.js';

// A page statement's text is kept by its shape (keptStatementTexts): the shape must tell apart
// every filter whose conditions filterSql writes differently, or a page is read with another
// filter's conditions and this filter's values.

let db: TestDatabase;
let session: Session;
// Message n was created n seconds into 2025 (createBulkTimeline).
const secondsIn = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 1000);

beforeAll(async () => {
  db = await openTestDatabase();
  const account = await createAccount(db.prisma);
  session = await createBulkTimeline(db.prisma, account.accountSid, 'filtered', 10);
});

afterAll(async () => {
  await db?.close();
});

async function positions(filter: TimelineFilter): Promise<number[]> {
  const [page] = await loadTimelineWindows(db.prisma, [{ sessionPk: session.id, limit: 50, newestFirst: false, filter }], new ReadBudget(1_000_000));
  return page!.items.map((item) => item.seq);
}

it('reads a filter whose unset conditions are null with those conditions left out, whichever filter of the same set came first', async () => {
  // Null is no condition to filterSql, as undefined is; JavaScript callers and casts pass it.
  const before = { createdAfter: null, createdBefore: secondsIn(5) } as unknown as TimelineFilter;
  const after = { createdAfter: secondsIn(5), createdBefore: null } as unknown as TimelineFilter;
  expect(await positions(before)).toEqual([1, 2, 3, 4]);
  expect(await positions(after)).toEqual([6, 7, 8, 9, 10]);
  const ofKinds = { kinds: null, roles: ['user'] } as unknown as TimelineFilter;
  const ofRoles = { kinds: ['CHAT_MESSAGE'], roles: null } as unknown as TimelineFilter;
  expect(await positions(ofKinds)).toEqual([1, 3, 5, 7, 9]);
  expect(await positions(ofRoles)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
