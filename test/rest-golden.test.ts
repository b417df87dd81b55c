import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyticsMessageToStore, type AnalyticsMessage } from '../src/models/analytics-message.js';
import { twilioMessageToStore, type TwilioMessage } from '../src/models/twilio-message.js';
import { hashAuthToken } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import { ensureSession } from '../src/store/sessions.js';
import { useTestGateway } from './support/gateway.js';
import { expectMatchesOpenApi } from './support/openapi.js';

// Whole response bodies, compared byte for byte with fixtures written from the two APIs' documented responses.

const accountSid = `AC${'a'.repeat(32)}`;
const authToken = 'golden-token';
const voiceId = 'voice:CA11111111111111111111111111111111';

const voiceMessages: TwilioMessage[] = [
  ['user', { text: 'Hi' }, {}, '10:00:00', '10:00:00'],
  ['tool', { name: 'lookup_order', arguments: { order: 7 }, output: null }, { duration_ms: 12 }, '10:00:01', '10:00:05'],
  ['knowledge', { query: 'refund policy' }, {}, '10:00:02', '10:00:02'],
  ['assistant', { text: 'Refunds take 5 days. ✅', type: 'text' }, { confidence: 0.9 }, '10:00:03', '10:00:03'],
  ['user', {}, {}, '10:00:04', '10:00:04'],
].map(([role, content, meta, created, updated], index) => ({
  id: `aia_msg_golden_${index + 1}`,
  account_sid: accountSid,
  assistant_id: 'aia_asst_golden',
  session_id: voiceId,
  identity: 'user:+15550001',
  role: role as string,
  content: content as Record<string, unknown>,
  meta: meta as Record<string, unknown>,
  date_created: `2025-01-01T${created}Z`,
  date_updated: `2025-01-01T${updated}Z`,
}));

const chatMessages: AnalyticsMessage[] = [
  { id: 'chat_1', role: 'user', content: 'Hello 👋', timestamp: '2025-01-02T09:00:00.000Z' },
  {
    id: 'chat_2',
    role: 'assistant',
    content: 'See [1] and [2].',
    timestamp: '2025-01-02T09:00:02.000Z',
    metadata: {
      sources: {
        '1': { text: 'First source', url: 'https://example.com/a', score: 0.8, title: 'A' },
        '2': { text: 'Second source', url: null, score: 0.5 },
      },
      confidence: 0.75,
      model: 'm-1',
    },
  },
  { id: 'chat_3', role: 'human_agent', content: 'Taking over.', timestamp: '2025-01-02T09:01:00.000Z', metadata: {} },
  { id: 'chat_4', role: 'assistant', content: '', timestamp: '2025-01-02T09:02:00.000Z', metadata: { confidence: 0.6 } },
];

const fixture = useTestGateway();

beforeAll(async () => {
  await fixture.db.prisma.account.create({ data: { sid: accountSid, name: 'Golden', authTokenHash: hashAuthToken(authToken) } });
  const { session: voice } = await ensureSession(fixture.db.prisma, accountSid, {
    sessionId: voiceId,
    name: 'golden-voice',
    assistantId: 'aia_asst_golden',
    identity: 'user:+15550001',
    verified: true,
    createdAt: new Date('2025-01-01T09:59:00Z'),
  });
  await appendMessages(fixture.db.prisma, voice, voiceMessages.map(twilioMessageToStore));
  const { session: chat } = await ensureSession(fixture.db.prisma, accountSid, { sessionId: 'session_golden_chat', createdAt: new Date('2025-01-02T09:00:00Z') });
  await appendMessages(fixture.db.prisma, chat, chatMessages.map(analyticsMessageToStore));
  await ensureSession(fixture.db.prisma, accountSid, { sessionId: 'session_golden_empty', name: 'golden-empty', createdAt: new Date('2025-01-03T09:00:00Z') });
});

/**
 * PageTokens are opaque: the fixtures name them by the link they were found in ({{afterPage0}} is
 * the token of the first page's next_page_url), and the test finds them by following the links.
 */
const tokens: Record<string, string> = {};

async function goldenBody(name: string): Promise<string> {
  const text = await readFile(path.join(import.meta.dirname, 'fixtures/golden', name), 'utf8');
  const filled = text.replaceAll('{{origin}}', fixture.gateway.url).replace(/\{\{(\w+)\}\}/g, (_match, token: string) => tokens[token]!);
  // Fixtures are written readably; responses are compact JSON. Compare the compact form, byte for byte.
  return JSON.stringify(JSON.parse(filled));
}

async function get(pathAndQuery: string, authorization: string) {
  const response = await fetch(`${fixture.gateway.url}${pathAndQuery}`, { headers: { authorization } });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

const basic = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
const bearer = `Bearer ${authToken}`;

async function linkToken(pathAndQuery: string, link: 'next_page_url' | 'previous_page_url'): Promise<string> {
  const { meta } = JSON.parse((await get(pathAndQuery, basic)).body) as { meta: Record<string, string> };
  return new URL(meta[link]!).searchParams.get('PageToken')!;
}

const voicePage = (page: number, token?: string) => `/v1/Sessions/${voiceId}/Messages?PageSize=2${page ? `&Page=${page}&PageToken=${token}` : ''}`;

beforeAll(async () => {
  tokens.afterPage0 = await linkToken(voicePage(0), 'next_page_url');
  tokens.afterPage1 = await linkToken(voicePage(1, tokens.afterPage0), 'next_page_url');
  tokens.beforePage2 = await linkToken(voicePage(2, tokens.afterPage1), 'previous_page_url');
  tokens.afterSession0 = await linkToken('/v1/Sessions?PageSize=1', 'next_page_url');
});

describe('Twilio Conversation History', () => {
  it.each([
    ['first page', () => voicePage(0), 'twilio-voice-page0.json'],
    ['middle page', () => voicePage(1, tokens.afterPage0), 'twilio-voice-page1.json'],
    ['last page', () => voicePage(2, tokens.afterPage1), 'twilio-voice-page2.json'],
    ['an analytics conversation, by id', () => '/v1/Sessions/session_golden_chat/Messages', 'twilio-chat.json'],
    ['an empty session, by name', () => '/v1/Sessions/golden-empty/Messages', 'twilio-empty.json'],
    ['the session list', () => '/v1/Sessions?PageSize=1', 'twilio-sessions.json'],
    ['one session', () => '/v1/Sessions/session_golden_chat', 'twilio-session.json'],
  ])('%s', async (_name, url, expected) => {
    const response = await get(url(), basic);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(await goldenBody(expected));
    expectMatchesOpenApi(url(), 200, JSON.parse(response.body));
  });

  it("follows the previous page's link back to the page it came from", async () => {
    const last = JSON.parse((await get(voicePage(2, tokens.afterPage1), basic)).body);
    const previous = await fetch(last.meta.previous_page_url, { headers: { authorization: basic } });
    const body = (await previous.json()) as { messages: { id: string }[]; meta: { next_page_url: string } };
    expect(body.messages.map((message) => message.id)).toEqual(['aia_msg_golden_3', 'aia_msg_golden_4']);
    expect(body.meta.next_page_url).toBe(`${fixture.gateway.url}${voicePage(2, tokens.afterPage1)}`);
  });

  it('accepts a percent-encoded session id', async () => {
    const response = await get(`/v1/Sessions/${encodeURIComponent(voiceId)}/Messages?PageSize=2`, basic);
    expect(JSON.parse(response.body).messages.map((message: { id: string }) => message.id)).toEqual(['aia_msg_golden_1', 'aia_msg_golden_2']);
  });
});

describe('analytics Get Conversation Messages', () => {
  it.each([
    ['an analytics conversation', '/api/v1/conversations/session_golden_chat/messages', 'analytics-chat.json'],
    ['the same under /api/v1/analytics', '/api/v1/analytics/conversations/session_golden_chat/messages', 'analytics-chat.json'],
    ['a Twilio conversation, by name', '/api/v1/conversations/golden-voice/messages', 'analytics-voice.json'],
  ])('%s', async (_name, url, expected) => {
    const response = await get(url, bearer);
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(await goldenBody(expected));
    expectMatchesOpenApi(url, 200, JSON.parse(response.body));
  });

  it('an empty session is an empty array', async () => {
    expect(await get('/api/v1/conversations/golden-empty/messages', bearer)).toMatchObject({ status: 200, body: '[]' });
  });
});
