import { describe, expect, it } from 'vitest';
import { analyticsMessageFromStore, analyticsMessageToStore, type AnalyticsMessage } from '../src/models/analytics-message.js';
import { twilioDate, twilioMessageFromStore, twilioMessageToStore, type TwilioMessage } from '../src/models/twilio-message.js';
import type { NewMessage } from '../src/store/append.js';
import { asStored } from './support/stored-message.js';
import { messageLimitsFromEnv } from '../src/config.js';
import { checkNewMessage } from '../src/models/validation.js';

// The mappings between the store and the two legacy models, without any I/O.
const session = { sessionId: 'voice:CA1', accountSid: `AC${'b'.repeat(32)}`, assistantId: 'aia_asst_s', identity: 'user:s' };

describe('Twilio', () => {
  const message: TwilioMessage = {
    id: 'aia_msg_1',
    account_sid: session.accountSid,
    assistant_id: 'aia_asst_m',
    session_id: 'voice:CA1',
    identity: 'user:m',
    role: 'tool',
    content: { tool_name: 'weather', input: { city: 'Zürich 🌧' } },
    meta: { '2': 'two', a: 1 },
    date_created: '2025-03-04T05:06:07Z',
    date_updated: '2025-03-04T05:06:08Z',
  };

  it('keeps content and meta verbatim and derives the tool name', () => {
    const stored = twilioMessageToStore(message);
    expect(stored).toMatchObject({ kind: 'TOOL_CALL', origin: 'TWILIO', toolName: 'weather', text: null, confidence: null });
    expect(stored.content).toEqual(message.content);
    expect(stored.meta).toEqual(message.meta);
  });

  it('reads back exactly as it came in', () => {
    expect(twilioMessageFromStore(...asStored(twilioMessageToStore(message)), session)).toEqual(message);
  });

  it.each([
    ['user', 'CHAT_MESSAGE'],
    ['assistant', 'CHAT_MESSAGE'],
    ['knowledge', 'KNOWLEDGE_CALL'],
  ])('maps role %s to %s', (role, kind) => {
    expect(twilioMessageToStore({ ...message, role }).kind).toBe(kind);
  });

  it('writes dates with second precision and a Z', () => {
    expect(twilioDate('2025-01-01T10:00:00.999Z')).toBe('2025-01-01T10:00:00Z');
  });

  it('shows a Twilio chat message in the analytics view with its text, confidence and other meta keys', () => {
    const answer = twilioMessageToStore({ ...message, role: 'assistant', content: { text: 'Sunny' }, meta: { confidence: 0.7, lang: 'de' } });
    expect(analyticsMessageFromStore(...asStored(answer))).toEqual({
      id: 'aia_msg_1',
      role: 'assistant',
      content: 'Sunny',
      timestamp: '2025-03-04T05:06:07.000Z',
      metadata: { confidence: 0.7, lang: 'de' },
    });
    const bare = twilioMessageToStore({ ...message, role: 'user', content: {}, meta: {} });
    expect(analyticsMessageFromStore(...asStored(bare))).toEqual({ id: 'aia_msg_1', role: 'user', content: '', timestamp: '2025-03-04T05:06:07.000Z' });
  });
});

describe('analytics', () => {
  const answer: AnalyticsMessage = {
    id: 'a-2',
    role: 'assistant',
    content: 'Try this ✨',
    timestamp: '2025-02-01T00:00:01.500Z',
    metadata: {
      sources: { '1': { text: 'one', url: null, score: 0.1 }, '2': { text: 'two', url: 'https://x.test', score: 0.2, title: 'Two' } },
      confidence: 0.42,
      trace: { id: 'abc' },
    },
  };

  it('turns metadata into sources in key order, a confidence and the other keys', () => {
    const stored = analyticsMessageToStore(answer);
    expect(stored).toMatchObject({ kind: 'CHAT_MESSAGE', origin: 'ANALYTICS', text: 'Try this ✨', confidence: 0.42, meta: { trace: { id: 'abc' } } });
    expect(stored.sources).toEqual([
      { key: '1', text: 'one', url: null, score: 0.1, title: null },
      { key: '2', text: 'two', url: 'https://x.test', score: 0.2, title: 'Two' },
    ]);
  });

  it.each([
    ['with metadata', answer],
    ['without metadata', { id: 'a-1', role: 'user', content: 'Hi', timestamp: '2025-02-01T00:00:00.000Z' } as AnalyticsMessage],
    ['with empty metadata', { id: 'a-3', role: 'human_agent', content: '', timestamp: '2025-02-01T00:00:02.000Z', metadata: {} } as AnalyticsMessage],
  ])('reads back exactly as it came in, %s', (_name, message) => {
    expect(analyticsMessageFromStore(...asStored(analyticsMessageToStore(message)))).toEqual(message);
  });

  it('shows an analytics message in the Twilio view: prefixed id, content {text}, meta its metadata', () => {
    expect(twilioMessageFromStore(...asStored(analyticsMessageToStore(answer)), session)).toEqual({
      id: 'aia_msg_a-2',
      account_sid: session.accountSid,
      assistant_id: 'aia_asst_s',
      session_id: 'voice:CA1',
      identity: 'user:s',
      role: 'assistant',
      content: { text: 'Try this ✨' },
      meta: answer.metadata,
      date_created: '2025-02-01T00:00:01Z',
      date_updated: '2025-02-01T00:00:01Z',
    });
  });
});

describe('message limits', () => {
  it('come from MAX_SOURCES_PER_MESSAGE and MAX_MESSAGE_BYTES, 1000 sources and 1 MiB unless set', () => {
    expect(messageLimitsFromEnv({})).toEqual({ sourcesPerMessage: 1000, messageBytes: 1_048_576 });
    expect(messageLimitsFromEnv({ MAX_SOURCES_PER_MESSAGE: '5', MAX_MESSAGE_BYTES: '2000' })).toEqual({ sourcesPerMessage: 5, messageBytes: 2000 });
    expect(() => messageLimitsFromEnv({ MAX_SOURCES_PER_MESSAGE: 'lots' })).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
  });

  it('refuse a message over them, naming the limit', () => {
    const answer = analyticsMessageToStore({
      id: 'a',
      role: 'assistant',
      content: 'x'.repeat(100),
      timestamp: '2025-01-01T00:00:00Z',
      metadata: { sources: { '1': { text: 'one', url: null, score: 1 }, '2': { text: 'two', url: null, score: 1 } } },
    });
    expect(checkNewMessage(answer, 'm', { sourcesPerMessage: 2, messageBytes: 1000 })).toBe(answer);
    expect(() => checkNewMessage(answer, 'm', { sourcesPerMessage: 1, messageBytes: 1000 })).toThrow('m.sources: at most 1 sources a message (MAX_SOURCES_PER_MESSAGE), got 2');
    expect(() => checkNewMessage(answer, 'm', { sourcesPerMessage: 2, messageBytes: 100 })).toThrow(/MAX_MESSAGE_BYTES/);
  });
});
