import { describe, expect, it } from 'vitest';
import { archiveMessageFromStore, archiveMessageToStore, archiveSessionFromStore, archiveSessionToStore, parseArchiveLine } from '../src/models/archive.js';
import { analyticsMessageToStore } from '../src/models/analytics-message.js';
import { openaiItemsFromStore } from '../src/models/openai-item.js';
import { twilioMessageToStore } from '../src/models/twilio-message.js';
import { messageFingerprint, type NewMessage } from '../src/store/append.js';
import type { Session } from '../src/store/sessions.js';
import { asStored } from './support/stored-message.js';

// The export's own mappings, without any I/O: store rows to the archive and back, and to OpenAI items.

const twilioTool = twilioMessageToStore({
  id: 'aia_msg_tool',
  account_sid: `AC${'b'.repeat(32)}`,
  assistant_id: 'aia_asst_m',
  session_id: 'voice:CA1',
  identity: 'user:m',
  role: 'tool',
  content: { name: 'weather', arguments: { city: 'Zürich 🌧' }, output: 'rain', '2': 'two' },
  meta: { b: 1, a: [null, 1.5] },
  date_created: '2025-03-04T05:06:07Z',
  date_updated: '2025-03-04T05:06:08Z',
});
const analyticsAnswer = analyticsMessageToStore({
  id: 'chat_2',
  role: 'assistant',
  content: 'See [1] and [2].',
  timestamp: '2025-01-02T09:00:02.123Z',
  metadata: {
    sources: { '1': { text: 'First', url: 'https://example.com/a', score: 0.8, title: 'A' }, '2': { text: 'Second', url: null, score: 0.5 } },
    confidence: 0.75,
    model: 'm-1',
  },
});
const knowledge: NewMessage = { ...twilioTool, messageId: 'aia_msg_k', kind: 'KNOWLEDGE_CALL', role: 'knowledge', toolName: null, text: 'refund policy', sources: analyticsAnswer.sources };

describe('archive', () => {
  it.each([
    ['a Twilio tool call', twilioTool],
    ['an analytics answer with sources', analyticsAnswer],
    ['an analytics message without metadata', analyticsMessageToStore({ id: 'chat_1', role: 'user', content: 'Hi', timestamp: '2025-01-02T09:00:00Z' })],
    ['a knowledge call with sources', knowledge],
  ])('gives %s back as it was stored, fingerprint and dates included', (_name, message) => {
    const line = JSON.parse(JSON.stringify(archiveMessageFromStore(...asStored(message), 'voice:CA1')));
    const parsed = parseArchiveLine(line, 'line 2');
    expect(parsed.type).toBe('message');
    const back = archiveMessageToStore(parsed as Extract<typeof parsed, { type: 'message' }>);
    expect(back).toEqual(message);
    expect(messageFingerprint(back)).toBe(messageFingerprint(message));
    // Key order inside content and meta is kept: the Twilio API shows them as stored.
    expect(JSON.stringify(back.content)).toBe(JSON.stringify(message.content));
  });

  it('gives a session back as it was', () => {
    const session = {
      sessionId: 'voice:CA1',
      name: 'front desk',
      identity: 'user:m',
      verified: true,
      createdAt: new Date('2025-01-01T09:59:00.250Z'),
      updatedAt: new Date('2025-01-01T10:00:09.000Z'),
    } as Session;
    const line = archiveSessionFromStore(session, 'aia_asst_m');
    expect(line).toEqual({
      type: 'session',
      id: 'voice:CA1',
      name: 'front desk',
      assistant_id: 'aia_asst_m',
      identity: 'user:m',
      verified: true,
      date_created: '2025-01-01T09:59:00.250Z',
      date_updated: '2025-01-01T10:00:09.000Z',
    });
    expect(archiveSessionToStore(parseArchiveLine(JSON.parse(JSON.stringify(line)), 'line 2') as typeof line)).toEqual({
      sessionId: 'voice:CA1',
      name: 'front desk',
      assistantId: 'aia_asst_m',
      identity: 'user:m',
      verified: true,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
    });
  });

  it('refuses a line that is not of an archive, naming the line and field', () => {
    expect(() => parseArchiveLine({ id: 'x' }, 'line 3')).toThrow('line 3: expected an archive line, whose "type" is "archive", "session" or "message"');
    expect(() => parseArchiveLine({ type: 'archive', version: 2, account: { sid: `AC${'a'.repeat(32)}`, name: 'A', date_created: '2025-01-01T00:00:00Z' } }, 'line 1')).toThrow(
      'line 1.version: expected version 1',
    );
    const line = { ...archiveMessageFromStore(...asStored(twilioTool), 'voice:CA1'), kind: 'SOURCE' };
    expect(() => parseArchiveLine(line, 'line 4')).toThrow(/^line 4\.kind: /);
  });
});

describe('OpenAI items', () => {
  it('makes a tool call a function call and its output, paired by the message id', () => {
    expect(openaiItemsFromStore(...asStored(twilioTool))).toEqual([
      { type: 'function_call', call_id: 'aia_msg_tool', name: 'weather', arguments: '{"city":"Zürich 🌧"}' },
      { type: 'function_call_output', call_id: 'aia_msg_tool', output: 'rain' },
    ]);
  });

  it('makes an answer an output message citing its sources that have a url', () => {
    expect(openaiItemsFromStore(...asStored(analyticsAnswer))).toEqual([
      {
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'See [1] and [2].', annotations: [{ type: 'url_citation', url: 'https://example.com/a', title: 'A', start_index: 0, end_index: 16 }] }],
      },
    ]);
  });

  it('makes a user message an input message, and a human agent speak as the assistant', () => {
    const user = analyticsMessageToStore({ id: 'u', role: 'user', content: 'Hi', timestamp: '2025-01-02T09:00:00Z' });
    expect(openaiItemsFromStore(...asStored(user))).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }]);
    const agent = analyticsMessageToStore({ id: 'h', role: 'human_agent', content: 'Taking over.', timestamp: '2025-01-02T09:00:00Z' });
    expect(openaiItemsFromStore(...asStored(agent))).toEqual([{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Taking over.', annotations: [] }] }]);
  });

  it('makes a knowledge call a file search with its sources as results', () => {
    expect(openaiItemsFromStore(...asStored(knowledge))).toEqual([
      {
        type: 'file_search_call',
        id: 'fs_aia_msg_k',
        status: 'completed',
        queries: ['refund policy'],
        results: [
          { file_id: 'https://example.com/a', filename: 'A', score: 0.8, text: 'First', attributes: { key: '1' } },
          { file_id: 'source_2', filename: 'source 2', score: 0.5, text: 'Second', attributes: { key: '2' } },
        ],
      },
    ]);
  });
});
