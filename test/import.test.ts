import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { importMessages, type ImportOptions } from '../src/import/importer.js';
import type { AnalyticsMessage } from '../src/models/analytics-message.js';
import type { TwilioMessage } from '../src/models/twilio-message.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { useTestGateway } from './support/gateway.js';
import { twilioClient } from './support/twilio-client.js';

const fixture = useTestGateway();
let account: AccountCredentials;

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
});

function run(text: string, options: Omit<ImportOptions, 'accountSid'> & { accountSid?: string }, chunks: (text: string) => string[] = (whole) => [whole]) {
  return importMessages(fixture.db.prisma, Readable.from(chunks(text)), 'the file', { accountSid: account.accountSid, ...options });
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

/** A session's messages as the official helper library's `list()` returns them, read from this account. */
function libraryList(credentials: AccountCredentials, sessionId: string) {
  return twilioClient(fixture.gateway.url, credentials.accountSid, credentials.authToken).assistants.v1.sessions(sessionId).messages.list();
}

/**
 * What a user moving off Twilio saved: `JSON.stringify` of `list()`, produced by the library from
 * a session seeded with every role, unicode, nested and empty content and meta.
 */
let savedList: Promise<string> | undefined;
function librarySaved(): Promise<string> {
  savedList ??= (async () => {
    await run(JSON.stringify(page(withAccount(twilioPages('voice:CAlibrary')).flat(), 0)), { format: 'twilio' });
    return JSON.stringify(await libraryList(account, 'voice:CAlibrary'));
  })();
  return savedList;
}

describe('the official helper library list() output, saved with JSON.stringify', () => {
  it('is camelCase with ISO dates, imports into an empty account and reads back identically through the library', async () => {
    const saved = await librarySaved();
    const listed = JSON.parse(saved) as Record<string, unknown>[];
    expect(listed).toHaveLength(5);
    expect(Object.keys(listed[0]!)).toEqual(['id', 'accountSid', 'assistantId', 'sessionId', 'identity', 'role', 'content', 'meta', 'dateCreated', 'dateUpdated']);
    expect(listed[0]!.dateCreated).toBe('2025-05-01T12:00:01.000Z');

    const other = await createAccount(fixture.db.prisma);
    const { summary } = await run(saved, { format: 'twilio', accountSid: other.accountSid });
    expect(summary).toEqual({ sessionsCreated: 1, sessionsPresent: 0, messagesCreated: 5, messagesPresent: 0, sourcesCreated: 0, sourcesPresent: 0 });
    const before = (await libraryList(account, 'voice:CAlibrary')).map((message) => message.toJSON());
    const after = (await libraryList(other, 'voice:CAlibrary')).map((message) => message.toJSON());
    // Every field as the library shows it; the account is the one imported into.
    expect(after).toEqual(before.map((message) => ({ ...message, accountSid: other.accountSid })));
    expect(JSON.stringify(after)).toBe(saved.replaceAll(account.accountSid, other.accountSid));
  });

  it('holds the same messages as the REST pages it was listed from: imported into their own account, all are present', async () => {
    const { summary } = await run(await librarySaved(), { format: 'twilio' });
    expect(summary).toEqual({ sessionsCreated: 0, sessionsPresent: 1, messagesCreated: 0, messagesPresent: 5, sourcesCreated: 0, sourcesPresent: 0 });
  });
});

describe('JSON Lines, one message a line', () => {
  it('of the REST shape (snake_case): read back through the Twilio route, blank lines and CRLF allowed, however the file is chunked', async () => {
    const messages = withAccount(twilioPages('voice:CAjsonl')).flat();
    const text = `${messages.map((message) => JSON.stringify(message)).join('\r\n')}\n\n`;
    const { summary } = await run(text, { format: 'twilio' }, (whole) => whole.match(/[^]{1,7}/g)!);
    expect(summary).toMatchObject({ sessionsCreated: 1, messagesCreated: 5 });
    expect(await twilioMessages('voice:CAjsonl')).toEqual(messages);
  });

  it('or pretty-printed one after another, as jq writes them', async () => {
    const messages = withAccount(twilioPages('voice:CAjq')).flat();
    const { summary } = await run(messages.map((message) => JSON.stringify(message, null, 2)).join('\n'), { format: 'twilio' });
    expect(summary).toMatchObject({ sessionsCreated: 1, messagesCreated: 5 });
    expect(await twilioMessages('voice:CAjq')).toEqual(messages);
  });

  it('of the helper library shape (camelCase): read back identically through the library', async () => {
    const listed = JSON.parse(await librarySaved()) as unknown[];
    const other = await createAccount(fixture.db.prisma);
    const { summary } = await run(listed.map((message) => JSON.stringify(message)).join('\n'), { format: 'twilio', accountSid: other.accountSid });
    expect(summary).toMatchObject({ sessionsCreated: 1, messagesCreated: 5 });
    const after = (await libraryList(other, 'voice:CAlibrary')).map((message) => message.toJSON());
    expect(JSON.stringify(after)).toBe(JSON.stringify(listed).replaceAll(account.accountSid, other.accountSid));
  });

  it('of analytics messages: read back through the analytics route', async () => {
    const conversation: AnalyticsMessage[] = [
      { id: 'l-1', role: 'user', content: 'one line each ✓', timestamp: '2025-06-01T08:00:00.000Z' },
      { id: 'l-2', role: 'assistant', content: 'yes', timestamp: '2025-06-01T08:00:01.000Z', metadata: { sources: { '1': { text: 's', url: null, score: 1 } }, confidence: 0.5 } },
    ];
    const { summary } = await run(conversation.map((message) => JSON.stringify(message)).join('\n'), { format: 'analytics', sessionId: 'chat-jsonl' });
    expect(summary).toMatchObject({ sessionsCreated: 1, messagesCreated: 2, sourcesCreated: 1 });
    expect(await analyticsMessages('chat-jsonl')).toEqual(conversation);
  });
});

describe('bad input names the problem and stores nothing of the file', () => {
  const good = (sessionId: string) => JSON.stringify(page(withAccount(twilioPages(sessionId)).flat(), 0));
  const jsonLines = (sessionId: string) => withAccount(twilioPages(sessionId)).flat().map((message) => JSON.stringify(message));
  const analyticsLines = ['a', 'b', 'c'].map((id) => JSON.stringify({ id, role: 'user', content: 'x', timestamp: '2025-01-01T00:00:00Z' }));
  const long = (sessionId: string, count: number) =>
    JSON.stringify(page(withAccount([Array.from({ length: count }, (_, n) => twilioMessage(sessionId, n + 1, 'user', { text: `message ${n + 1}` }))]).flat(), 0));
  it.each([
    ['malformed JSON', () => '{"messages": [ {"id": "aia_msg_x", } ] }', { format: 'twilio' as const }, /is not valid JSON, or is cut short/],
    ['a truncated file', () => good('voice:CAtrunc').slice(0, -40), { format: 'twilio' as const }, /is not valid JSON, or is cut short/],
    ['an unknown role', () => good('voice:CArole').replace('"role":"tool"', '"role":"robot"'), { format: 'twilio' as const }, /the file: message 2\.role: Invalid option/],
    ['a missing id', () => good('voice:CAid').replace('"id":"aia_msg_voice:CAid_3",', ''), { format: 'twilio' as const }, /the file: message 3\.id: Invalid input/],
    ['the wrong --format (analytics for a Twilio page)', () => good('voice:CAfmt'), { format: 'analytics' as const, sessionId: 'x' }, /looks like a Twilio page: use --format twilio/],
    ['the wrong --format (twilio for an analytics array)', () => analyticsLines.slice(0, 2).join(',').replace(/^/, '[').concat(']'), { format: 'twilio' as const }, /the file: message 1 is an analytics message: use --format analytics --session ID/],
    ['the wrong --format (twilio for analytics JSON Lines)', () => analyticsLines.join('\n'), { format: 'twilio' as const }, /the file: line 1 is an analytics message: use --format analytics --session ID/],
    ['the wrong --format (analytics for the helper library list() output)', librarySaved, { format: 'analytics' as const, sessionId: 'x' }, /the file: message 1 is a Twilio message: use --format twilio/],
    ['the wrong --format (analytics for Twilio JSON Lines)', () => withAccount(twilioPages('voice:CAfmt2')).flat().map((m) => JSON.stringify(m)).join('\n'), { format: 'analytics' as const, sessionId: 'x' }, /the file: line 1 is a Twilio message: use --format twilio/],
    ['the wrong --format (analytics for an empty Twilio page)', () => '{"messages": [], "meta": {}}', { format: 'analytics' as const, sessionId: 'x' }, /looks like a Twilio page: use --format twilio/],
    ['a malformed line in JSON Lines', () => jsonLines('voice:CAbadline').map((line, n) => (n === 2 ? line.replace('"role"', '"role",') : line)).join('\n'), { format: 'twilio' as const }, /is not valid JSON, or is cut short: .* \(line 3\)/],
    ['a line of JSON Lines cut short', () => jsonLines('voice:CAshortline').map((line, n) => (n === 2 ? line.slice(0, line.indexOf('"role"')) : line)).join('\n'), { format: 'twilio' as const }, /is not valid JSON, or is cut short: .*line 4.*begins on line 3/],
    ['an invalid message in JSON Lines', () => jsonLines('voice:CAbadrole').map((line) => line.replace('"role":"knowledge"', '"role":"oracle"')).join('\n'), { format: 'twilio' as const }, /the file: line 3\.role: Invalid option/],
    ['an invalid message of the helper library shape', async () => (await librarySaved()).replace('"sessionId":"voice:CAlibrary"', '"sessionId":""'), { format: 'twilio' as const }, /the file: message 1\.sessionId: expected the session id/],
    ['an unknown account', () => good('voice:CAacct'), { format: 'twilio' as const, accountSid: `AC${'9'.repeat(32)}` }, /There is no account AC9+/],
    ['an analytics array without --session', () => '[]', { format: 'analytics' as const }, /pass --session ID/],
    ['a conflicting message id', () => good('voice:CAconcat').replace('Grüße aus Köln', 'Changed'), { format: 'twilio' as const }, /"aia_msg_voice:CAconcat_1" is already stored with different content/],
    // Past the first batch of 500, already written when message 601 is read: only the transaction can take it back.
    ['a bad message 601 of 700', () => long('voice:CAlong', 700).replace('"id":"aia_msg_voice:CAlong_601",', ''), { format: 'twilio' as const }, /the file: message 601\.id: Invalid input/],
  ])('%s', async (_name, text, options, message) => {
    const before = await storedRows();
    const sessions = await fixture.db.prisma.session.count();
    await expect(run(await text(), options)).rejects.toThrow(message);
    expect(await storedRows()).toBe(before);
    expect(await fixture.db.prisma.session.count()).toBe(sessions);
  });

  it('a file of messages that are neither shape gets no hint to use another --format', async () => {
    const error = await run('[{"id": "aia_msg_1", "role": "user"}]', { format: 'twilio' }).catch((e: Error) => e);
    expect(String(error)).toMatch(/the file: message 1\.session_id: /);
    expect(String(error)).not.toMatch(/--format/);
  });
});
