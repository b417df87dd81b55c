import type { NewMessage } from '../../src/store/append.js';
import type { TimelineItem } from '../../src/store/timeline.js';

/** A message as the store reads it back: its row, and its sources' rows in key order. */
export function asStored(message: NewMessage, accountSid = `AC${'b'.repeat(32)}`): [TimelineItem, TimelineItem[]] {
  const { sources, ...fields } = message;
  const row = (n: number): TimelineItem => ({
    id: BigInt(n + 1),
    accountSid,
    sessionPk: 1n,
    seq: n + 1,
    kind: 'SOURCE',
    origin: message.origin,
    messageId: null,
    fingerprint: null,
    role: null,
    identity: null,
    assistantId: null,
    content: null,
    meta: null,
    text: null,
    confidence: null,
    toolName: null,
    parentId: null,
    sourceKey: null,
    url: null,
    score: null,
    title: null,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
    sourcesBytes: 0,
  });
  const stored = { ...row(0), ...fields } as TimelineItem;
  return [
    stored,
    sources.map((source, index) => ({ ...row(index + 1), parentId: stored.id, sourceKey: source.key, text: source.text, url: source.url, score: source.score, title: source.title })),
  ];
}

