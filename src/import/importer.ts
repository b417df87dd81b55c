import type { Readable } from 'node:stream';
import chain, { none } from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import type { MessagesAppended } from '../live/message-events.js';
import { analyticsMessageToStore, parseAnalyticsMessage } from '../models/analytics-message.js';
import { parseTwilioMessage, twilioMessageToStore } from '../models/twilio-message.js';
import { appendMessages, type NewMessage } from '../store/append.js';
import type { PrismaClient } from '../store/database.js';
import { GatewayError } from '../errors.js';
import { ensureSession, type Session } from '../store/sessions.js';
import { inTransaction } from '../store/transaction.js';
import { checkId, checkNewMessage, maxStringLength, stringTooLong } from '../models/validation.js';

export type ImportFormat = 'twilio' | 'analytics';

export interface ImportOptions {
  accountSid: string;
  format: ImportFormat;
  /** The session to import into; required for analytics arrays, which do not name theirs. */
  sessionId?: string;
}

export interface ImportSummary {
  sessionsCreated: number;
  sessionsPresent: number;
  messagesCreated: number;
  messagesPresent: number;
  sourcesCreated: number;
  sourcesPresent: number;
}

export interface ImportProgress {
  bytes: number;
  messages: number;
}

/** Messages are written in batches of this many; memory holds one batch, whatever the file's size. */
const BATCH_SIZE = 500;

/**
 * Where messages stand in each format: a Twilio page's `messages` (one page, pages one after
 * another, or an array of pages), or the items of an analytics array (one, or several in a row).
 */
const messagePaths: Record<ImportFormat, RegExp> = {
  twilio: /^(\d+,)?"messages",\d+$/,
  analytics: /^\d+$/,
};

/** What a file with no message in it was, when that is not an empty page or array of the format. */
function emptyInputProblem(format: ImportFormat, firstToken: string | undefined, sawMessagesKey: boolean, name: string): string | null {
  if (!firstToken) return `${name} is empty`;
  if (format === 'twilio') {
    if (sawMessagesKey) return null;
    const hint = firstToken === 'startArray' ? '; it looks like an analytics array: use --format analytics' : '';
    return `${name} holds no Twilio Conversation History page (an object with a "messages" array)${hint}`;
  }
  if (firstToken === 'startArray') return null;
  const hint = sawMessagesKey ? '; it looks like a Twilio page: use --format twilio' : '';
  return `${name} holds no analytics message array${hint}`;
}

/** What the parser streams a key, string or number as: the token that starts it, the one that ends it, the one it makes whole. */
const STREAMED_VALUES = {
  startKey: { end: 'endKey', whole: 'keyValue', noun: 'an object key' },
  startString: { end: 'endString', whole: 'stringValue', noun: 'a string' },
  startNumber: { end: 'endNumber', whole: 'numberValue', noun: 'a number' },
} as const;

/**
 * A chain step that makes each key, string or number the parser streams (those starting with one
 * of `starts`) one token, as the parser would, but refuses one longer than a message may hold as
 * it grows: a 400 MB string is refused at the limit rather than read into memory.
 */
function joinStreamed(starts: readonly (keyof typeof STREAMED_VALUES)[], tooLong: (noun: string) => GatewayError) {
  let open: (typeof STREAMED_VALUES)[keyof typeof STREAMED_VALUES] | undefined;
  let joined = '';
  return (token: parser.Token) => {
    if (!open) {
      if (!(starts as readonly string[]).includes(token.name)) return token;
      open = STREAMED_VALUES[token.name as keyof typeof STREAMED_VALUES];
      return none;
    }
    if (token.name !== open.end) {
      joined += (token as { value: string }).value;
      if (joined.length > maxStringLength()) throw tooLong(open.noun);
      return none;
    }
    const whole = { name: open.whole, value: joined };
    open = undefined;
    joined = '';
    return whole;
  };
}

const VALUE_STARTS = new Set(['startObject', 'startArray', 'startString', 'startNumber', 'nullValue', 'trueValue', 'falseValue']);

/** A chain step that numbers the values picked out of the file (its messages, from 1) as they begin. */
function numberValues(onValue: (number: number) => void) {
  let depth = 0;
  let count = 0;
  return (token: parser.Token) => {
    if (!depth && VALUE_STARTS.has(token.name)) onValue(++count);
    if (token.name === 'startObject' || token.name === 'startArray') depth++;
    else if (token.name === 'endObject' || token.name === 'endArray') depth--;
    return token;
  };
}

/** The values of a parsing chain; an error of the stream (not of the caller's work) says the file is not JSON, and how far it got. */
async function* streamedValues(values: AsyncIterable<{ value: unknown }>, name: string, progress: ImportProgress): AsyncGenerator<unknown> {
  try {
    for await (const { value } of values) yield value;
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('invalid_argument', `${name} is not valid JSON, or is cut short: ${(error as Error).message} (after ${progress.bytes} bytes)`);
  }
}

/** One message from the file, checked and mapped, with the session it belongs to. */
function storeMessage(value: unknown, where: string, options: ImportOptions): { sessionId: string; message: NewMessage } {
  if (options.format === 'analytics') {
    return { sessionId: options.sessionId!, message: checkNewMessage(analyticsMessageToStore(parseAnalyticsMessage(value, where)), where) };
  }
  const twilio = parseTwilioMessage(value, where);
  const sessionId = options.sessionId ?? twilio.session_id;
  checkId(sessionId, `${where}.session_id`);
  return { sessionId, message: checkNewMessage(twilioMessageToStore(twilio), where) };
}

/**
 * Imports one file, streamed, in one transaction: either all of it is stored, or (on malformed
 * JSON, a truncated file, an invalid message, a conflicting message id) none of it. Messages
 * already stored identically are counted as present, so importing a file twice changes nothing.
 * Returns what was written and, per session, the positions appended for live subscribers.
 */
export async function importMessages(
  prisma: PrismaClient,
  input: Readable,
  name: string,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<{ summary: ImportSummary; appended: MessagesAppended[] }> {
  if (!(await prisma.account.findUnique({ where: { sid: options.accountSid } }))) {
    throw new GatewayError('not_found', `There is no account ${options.accountSid}; create one with "conversation-gateway account create"`);
  }
  if (options.format === 'analytics' && !options.sessionId) {
    throw new GatewayError('invalid_argument', 'An analytics array does not name its session: pass --session ID');
  }
  // One attempt only: the file streams through once, so a race lost to another writer cannot be replayed.
  return inTransaction(
    prisma,
    async (tx) => {
      const summary: ImportSummary = { sessionsCreated: 0, sessionsPresent: 0, messagesCreated: 0, messagesPresent: 0, sourcesCreated: 0, sourcesPresent: 0 };
      const sessions = new Map<string, Session>();
      const appended = new Map<string, MessagesAppended>();
      let batch: { sessionId: string; messages: NewMessage[] } | null = null;
      // The file starts flowing only now, inside the transaction, with its reader attached.
      const progress: ImportProgress = { bytes: 0, messages: 0 };
      input.on('data', (chunk: Buffer) => (progress.bytes += chunk.length));
      let firstToken: string | undefined;
      let sawMessagesKey = false;
      const path = messagePaths[options.format];
      let messageNumber = 0;
      // Keys, strings and numbers come in pieces and are joined here, each refused once over the
      // limit: the parser would hold any of them whole, however long. Keys are joined before the
      // messages are picked out (picking goes by them), the rest after, where a message's number is known.
      const messages = chain([
        input,
        parser({ jsonStreaming: true, packValues: false }),
        joinStreamed(['startKey'], (noun) => stringTooLong(name, noun)),
        (token: parser.Token) => {
          firstToken ??= token.name;
          if (token.name === 'keyValue' && token.value === 'messages') sawMessagesKey = true;
          return token;
        },
        pick({ filter: (stack) => path.test(stack.map((part) => JSON.stringify(part)).join(',')) }),
        numberValues((number) => (messageNumber = number)),
        joinStreamed(['startString', 'startNumber'], (noun) => stringTooLong(`${name}: message ${messageNumber}`, noun)),
        streamValues(),
      ]);

      const sessionFor = async (sessionId: string, first: { assistantId: string | null; identity: string | null; createdAt: Date }) => {
        let session = sessions.get(sessionId);
        if (!session) {
          const ensured = await ensureSession(tx, options.accountSid, { sessionId, ...first });
          summary[ensured.created ? 'sessionsCreated' : 'sessionsPresent']++;
          session = ensured.session;
          sessions.set(sessionId, session);
        }
        return session;
      };

      const flush = async () => {
        if (!batch?.messages.length) return;
        const first = batch.messages[0]!;
        const session = await sessionFor(batch.sessionId, first);
        const result = await appendMessages(tx, session, batch.messages);
        summary.messagesCreated += result.messagesCreated;
        summary.messagesPresent += result.messagesPresent;
        summary.sourcesCreated += result.sourcesCreated;
        summary.sourcesPresent += result.sourcesPresent;
        if (result.appended) {
          const key = String(session.id);
          const earlier = appended.get(key);
          appended.set(key, {
            accountSid: options.accountSid,
            sessionPk: key,
            afterSeq: earlier?.afterSeq ?? result.appended.afterSeq,
            throughSeq: result.appended.throughSeq,
          });
        }
        progress.messages += batch.messages.length;
        onProgress(progress);
        batch = null;
      };

      for await (const value of streamedValues(messages as AsyncIterable<{ value: unknown }>, name, progress)) {
        const index: number = progress.messages + (batch?.messages.length ?? 0) + 1;
        const { sessionId, message } = storeMessage(value, `${name}: message ${index}`, options);
        if (batch && (batch.sessionId !== sessionId || batch.messages.length >= BATCH_SIZE)) await flush();
        batch ??= { sessionId, messages: [] };
        batch.messages.push(message);
      }
      await flush();
      const problem = progress.messages ? null : emptyInputProblem(options.format, firstToken, sawMessagesKey, name);
      if (problem) throw new GatewayError('invalid_argument', problem);
      return { summary, appended: [...appended.values()] };
    },
    { attempts: 1, timeout: 24 * 60 * 60 * 1000 },
  );
}
