import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { defaultMessageLimits } from '../config.js';
import type { NewMessage } from '../store/append.js';

/**
 * Checks a value against a schema and names the offending item and field when it does not fit:
 * `messages[12].role: Invalid option: expected one of "user"|"assistant"|…`.
 */
export function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    return `${where}${path}: ${issue.message}`;
  });
  throw new GatewayError('invalid_argument', problems.join('; '));
}

export const isoDateTime = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time such as 2025-01-01T10:00:00Z' });
export const jsonObject = z.record(z.string(), z.unknown(), { message: 'expected a JSON object' });

/** The longest id the store keeps: message, session, assistant and source ids, identities, names. */
export const MAX_ID_LENGTH = 256;

export interface MessageLimits {
  /** Sources one message may carry (MAX_SOURCES_PER_MESSAGE). */
  sourcesPerMessage: number;
  /** Bytes of a message's text, `content`, `meta` and sources together, as JSON (MAX_MESSAGE_BYTES). */
  messageBytes: number;
}

function invalid(field: string, problem: string): GatewayError {
  return new GatewayError('invalid_argument', `${field}: ${problem}`);
}

/** Text the database can store: PostgreSQL refuses the NUL character in text and JSON alike. */
export function checkText(value: string | null | undefined, field: string): void {
  if (value?.includes('\u0000')) throw invalid(field, 'must not contain the NUL character (\\u0000)');
}

/** An id as the store keeps it: text of at most MAX_ID_LENGTH characters. */
export function checkId(value: string | null | undefined, field: string): void {
  checkText(value, field);
  if (value && value.length > MAX_ID_LENGTH) throw invalid(field, `must be at most ${MAX_ID_LENGTH} characters, got ${value.length}`);
}

function checkNumber(value: number | null, field: string): void {
  if (value !== null && !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
}

/** How deeply a message's JSON may nest: deeper is no conversation, and would exhaust the stack. */
const MAX_JSON_DEPTH = 64;

/** A JSON value the database can store: no NUL in any key or string, only finite numbers. One pass, linear in its size. */
function checkJson(value: unknown, field: string, depth = 0): void {
  if (typeof value === 'string') return checkText(value, field);
  if (typeof value === 'number') return checkNumber(value, field);
  if (!value || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) throw invalid(field, `nests more than ${MAX_JSON_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.forEach((item, index) => checkJson(item, `${field}[${index}]`, depth + 1));
  for (const [key, item] of Object.entries(value)) {
    checkText(key, `${field} key "${key.replaceAll('\u0000', '\\u0000')}"`);
    checkJson(item, `${field}.${key}`, depth + 1);
  }
}

function jsonBytes(value: unknown): number {
  return value == null ? 0 : Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * The longest string (or key, or number) a message can hold at all: one longer is over
 * MAX_MESSAGE_BYTES whatever else the message holds, a character being at least a byte. An import
 * refuses one as soon as it is read this far, before it is held whole.
 */
export function maxStringLength(limits: MessageLimits = defaultMessageLimits): number {
  return limits.messageBytes;
}

/** The refusal of a string longer than maxStringLength(), in the words of checkNewMessage's. */
export function stringTooLong(where: string, noun: string, limits: MessageLimits = defaultMessageLimits): GatewayError {
  const limit = maxStringLength(limits);
  return invalid(where, `${noun} of more than ${limit} bytes; at most ${limit} bytes of text, content, meta and sources are accepted (MAX_MESSAGE_BYTES)`);
}

/**
 * Refuses, before the database does, what it would refuse or what no message should be: NUL
 * characters, over-long ids, non-finite numbers, more sources than MAX_SOURCES_PER_MESSAGE and
 * more than MAX_MESSAGE_BYTES of text, content, meta and sources. `where` names the message in errors.
 */
export function checkNewMessage(message: NewMessage, where: string, limits: MessageLimits = defaultMessageLimits): NewMessage {
  const field = (name: string) => `${where}.${name}`;
  for (const name of ['messageId', 'identity', 'assistantId', 'toolName', 'role'] as const) checkId(message[name], field(name));
  checkText(message.text, field('text'));
  checkJson(message.content, field('content'));
  checkJson(message.meta, field('meta'));
  checkNumber(message.confidence, field('confidence'));
  if (message.sources.length > limits.sourcesPerMessage) {
    throw invalid(field('sources'), `at most ${limits.sourcesPerMessage} sources a message (MAX_SOURCES_PER_MESSAGE), got ${message.sources.length}`);
  }
  const bytes = jsonBytes(message.text) + jsonBytes(message.content) + jsonBytes(message.meta) + jsonBytes(message.sources);
  if (bytes > limits.messageBytes) {
    throw invalid(where, `its text, content, meta and sources take ${bytes} bytes; at most ${limits.messageBytes} are accepted (MAX_MESSAGE_BYTES)`);
  }
  const keys = new Set<string>();
  message.sources.forEach((source, index) => {
    const at = (name: string) => field(`sources[${index}].${name}`);
    checkId(source.key, at('key'));
    if (keys.has(source.key)) throw invalid(field('sources'), `key "${source.key}" is used twice`);
    keys.add(source.key);
    checkText(source.text, at('text'));
    checkText(source.url, at('url'));
    checkText(source.title, at('title'));
    checkNumber(source.score, at('score'));
  });
  return message;
}
