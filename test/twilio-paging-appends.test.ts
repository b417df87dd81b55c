import { beforeAll, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import type { Session } from '../src/store/sessions.js';
import { useTestGateway } from './support/gateway.js';
import { createConversation, generatedMessages } from './support/timeline.js';

const fixture = useTestGateway();
let account: AccountCredentials;
let session: Session;

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
  session = await createConversation(fixture.db.prisma, account.accountSid, 'live', 300);
});

async function storedIds(): Promise<string[]> {
  const items = await fixture.db.prisma.timelineItem.findMany({ where: { sessionPk: session.id, kind: { not: 'SOURCE' } }, orderBy: { seq: 'asc' } });
  return items.map((item) => item.messageId!);
}

it('paging through the Twilio route while another client appends neither skips nor repeats a message', async () => {
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  let appending = true;
  const appender = (async () => {
    for (let batch = 0; appending && batch < 40; batch++) {
      await appendMessages(fixture.db.prisma, session, generatedMessages(8, `live_append_${batch}`).slice(0, 3));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();

  const seen: string[] = [];
  let pages = 0;
  for (let url: string | null = `${fixture.gateway.url}/v1/Sessions/live/Messages?PageSize=50`; url; pages++) {
    const response = await fetch(url, { headers: { authorization } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: { id: string }[]; meta: { next_page_url: string | null } };
    seen.push(...body.messages.map((message) => message.id));
    url = body.meta.next_page_url;
    // Let the appender win the race to the end at least once before the last page.
    if (pages === 3) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  appending = false;
  await appender;

  const stored = await storedIds();
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.length).toBeGreaterThan(300);
  expect(seen).toEqual(stored.slice(0, seen.length));
});
