import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMessages, type ImportOptions } from '../src/import/importer.js';
import type { AnalyticsMessage } from '../src/models/analytics-message.js';
import type { TwilioMessage } from '../src/models/twilio-message.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { useTestGateway } from './support/gateway.js';

const fixture = useTestGateway();
let account: AccountCredentials;

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
});

function run(text: string, options: Omit<ImportOptions, 'accountSid'> & { accountSid?: string }) {
  return importMessages(fixture.db.prisma, Readable.from([text]), 'the file', { accountSid: account.accountSid, ...options });
}

async function twilioMessages(sessionId: string): Promise<TwilioMessage[]> {
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;
  const response = await fetch(`${fixture.gateway.url}/v1/Sessions/${encodeURIComponent(sessionId)}/Messages?PageSize=1000`, { headers: { authorization } });
  return ((await response.json()) as { messages: TwilioMessage[] }).messages;
}

async function analyticsMessages(sessionId: string): Promise<AnalyticsMessage[]> {
  const response = await fetch(`${fixture.gateway.url}/api/v1/conversations/${encodeURIComponent(sessionId)}/messages`, {
    headers: { authorization: `Bearer ${account.authToken}` },
  });
  return (await response.json()) as AnalyticsMessage[];
}

async function storedRows(): Promise<number> {
  return fixture.db.prisma.timelineItem.count();
}

function twilioMessage(sessionId: string, n: number, role: string, content: Record<string, unknown>, meta: Record<string, unknown> = {}): TwilioMessage {
  return {
    id: `aia_msg_${sessionId}_${n}`,
    account_sid: '',
    assistant_id: 'aia_asst_import',
    session_id: sessionId,
    identity: 'user:ümlaut 🙂',
    role,
    content,
    meta,
    date_created: new Date(Date.UTC(2025, 4, 1, 12, 0, n)).toISOString().replace('.000Z', 'Z'),
    date_updated: new Date(Date.UTC(2025, 4, 1, 12, 5, n)).toISOString().replace('.000Z', 'Z'),
  };
}

function twilioPages(sessionId: string): TwilioMessage[][] {
  const messages = [
    twilioMessage(sessionId, 1, 'user', { text: 'Grüße aus Köln 🇩🇪, 你好' }),
    twilioMessage(sessionId, 2, 'tool', { name: 'lookup', arguments: { q: 'ß' } }, { latency_ms: 3, nested: { deep: [1, 'two', null] } }),
    twilioMessage(sessionId, 3, 'knowledge', { query: 'returns', results: [{ id: 'k1' }] }),
    twilioMessage(sessionId, 4, 'assistant', {}, {}),
    twilioMessage(sessionId, 5, 'assistant', { text: '✅ Done', annotations: [] }, { confidence: 0.5 }),
  ];
  return [messages.slice(0, 2), messages.slice(2, 4), messages.slice(4)];
}

function withAccount(pages: TwilioMessage[][]): TwilioMessage[][] {
  return pages.map((page) => page.map((message) => ({ ...message, account_sid: account.accountSid })));
}

const page = (messages: TwilioMessage[], n: number) => ({ messages, meta: { page: n, page_size: 2, key: 'messages' } });

describe('a Twilio export read back through the Twilio route', () => {
  it.each([
    ['pages one after another', 'voice:CAconcat', (pages: TwilioMessage[][]) => pages.map((messages, n) => JSON.stringify(page(messages, n))).join('\n')],
    ['an array of pages', 'voice:CAarray', (pages: TwilioMessage[][]) => JSON.stringify(pages.map(page))],
    ['one page', 'voice:CAone', (pages: TwilioMessage[][]) => JSON.stringify(page(pages.flat(), 0))],
  ])('%s: the same message objects, every role, unicode, empty content and meta', async (_layout, sessionId, serialize) => {
    const pages = withAccount(twilioPages(sessionId));
    const { summary } = await run(serialize(pages), { format: 'twilio' });
    expect(summary).toEqual({ sessionsCreated: 1, sessionsPresent: 0, messagesCreated: 5, messagesPresent: 0, sourcesCreated: 0, sourcesPresent: 0 });
    expect(await twilioMessages(sessionId)).toEqual(pages.flat());
  });

  it('importing the same file again changes nothing', async () => {
    const pages = withAccount(twilioPages('voice:CAconcat'));
    const before = await storedRows();
    const { summary } = await run(JSON.stringify(pages.map(page)), { format: 'twilio' });
    expect(summary).toEqual({ sessionsCreated: 0, sessionsPresent: 1, messagesCreated: 0, messagesPresent: 5, sourcesCreated: 0, sourcesPresent: 0 });
    expect(await storedRows()).toBe(before);
    expect(await twilioMessages('voice:CAconcat')).toEqual(pages.flat());
  });
});

describe('an analytics array read back through the analytics route', () => {
  const thousandSources = Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [String(i + 1), { text: `source ${i + 1} «quoted»`, url: i % 3 ? `https://docs.test/${i}` : null, score: i / 1000, ...(i % 2 ? { title: `Title ${i}` } : {}) }]),
  );
  const conversation: AnalyticsMessage[] = [
    { id: 'c-1', role: 'user', content: 'مرحبا — hello 👋🏽', timestamp: '2025-06-01T08:00:00.000Z' },
    {
      id: 'c-2',
      role: 'assistant',
      content: 'Here is everything we know.',
      timestamp: '2025-06-01T08:00:01.250Z',
      metadata: { sources: thousandSources, confidence: 0.97, model: 'gpt-x', tags: ['a', 'b'] },
    },
    { id: 'c-3', role: 'human_agent', content: '', timestamp: '2025-06-01T08:01:00.000Z', metadata: {} },
    {
      id: 'c-4',
      role: 'assistant',
      content: 'Short answer',
      timestamp: '2025-06-01T08:02:00.000Z',
      metadata: { sources: { '1': { text: 'no url, no title', url: null, score: 0 } } },
    },
    { id: 'c-5', role: 'user', content: '🙏', timestamp: '2025-06-01T08:03:00.000Z', metadata: { confidence: 0.1 } },
  ];

  it('the same array: every role, unicode, no and empty metadata, null urls, missing titles, 1,000 sources', async () => {
    const { summary } = await run(JSON.stringify(conversation), { format: 'analytics', sessionId: 'chat-import' });
    expect(summary).toMatchObject({ sessionsCreated: 1, messagesCreated: 5, sourcesCreated: 1001 });
    expect(await analyticsMessages('chat-import')).toEqual(conversation);
    const again = await run(JSON.stringify(conversation), { format: 'analytics', sessionId: 'chat-import' });
    expect(again.summary).toMatchObject({ messagesCreated: 0, messagesPresent: 5, sourcesCreated: 0, sourcesPresent: 1001 });
  });
});

describe('bad input names the problem and stores nothing of the file', () => {
  const good = (sessionId: string) => JSON.stringify(page(withAccount(twilioPages(sessionId)).flat(), 0));
  const long = (sessionId: string, count: number) =>
    JSON.stringify(page(withAccount([Array.from({ length: count }, (_, n) => twilioMessage(sessionId, n + 1, 'user', { text: `message ${n + 1}` }))]).flat(), 0));
  it.each([
    ['malformed JSON', () => '{"messages": [ {"id": "aia_msg_x", } ] }', { format: 'twilio' as const }, /is not valid JSON, or is cut short/],
    ['a truncated file', () => good('voice:CAtrunc').slice(0, -40), { format: 'twilio' as const }, /is not valid JSON, or is cut short/],
    ['an unknown role', () => good('voice:CArole').replace('"role":"tool"', '"role":"robot"'), { format: 'twilio' as const }, /the file: message 2\.role: Invalid option/],
    ['a missing id', () => good('voice:CAid').replace('"id":"aia_msg_voice:CAid_3",', ''), { format: 'twilio' as const }, /the file: message 3\.id: Invalid input/],
    ['the wrong --format (analytics for a Twilio page)', () => good('voice:CAfmt'), { format: 'analytics' as const, sessionId: 'x' }, /looks like a Twilio page: use --format twilio/],
    ['the wrong --format (twilio for an analytics array)', () => '[{"id":"a","role":"user","content":"x","timestamp":"2025-01-01T00:00:00Z"}]', { format: 'twilio' as const }, /looks like an analytics array: use --format analytics/],
    ['an unknown account', () => good('voice:CAacct'), { format: 'twilio' as const, accountSid: `AC${'9'.repeat(32)}` }, /There is no account AC9+/],
    ['an analytics array without --session', () => '[]', { format: 'analytics' as const }, /pass --session ID/],
    ['a conflicting message id', () => good('voice:CAconcat').replace('Grüße aus Köln', 'Changed'), { format: 'twilio' as const }, /"aia_msg_voice:CAconcat_1" is already stored with different content/],
    // Past the first batch of 500, already written when message 601 is read: only the transaction can take it back.
    ['a bad message 601 of 700', () => long('voice:CAlong', 700).replace('"id":"aia_msg_voice:CAlong_601",', ''), { format: 'twilio' as const }, /the file: message 601\.id: Invalid input/],
  ])('%s', async (_name, text, options, message) => {
    const before = await storedRows();
    const sessions = await fixture.db.prisma.session.count();
    await expect(run(text(), options)).rejects.toThrow(message);
    expect(await storedRows()).toBe(before);
    expect(await fixture.db.prisma.session.count()).toBe(sessions);
  });
});
