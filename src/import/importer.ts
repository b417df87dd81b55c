import type { Readable } from 'node:stream';
import chain from 'stream-chain';
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
import { checkId, checkNewMessage, type MessageLimits } from '../models/validation.js';

export type ImportFormat = 'twilio' | 'analytics';

export interface ImportOptions {
  accountSid: string;
  format: ImportFormat;
  /** The session to import into; required for analytics arrays, which do not name theirs. */
  sessionId?: string;
  /** What one message may hold (MAX_SOURCES_PER_MESSAGE, MAX_MESSAGE_BYTES); the defaults unless given. */
  messageLimits?: MessageLimits;
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

/** One message from the file, checked and mapped, with the session it belongs to. */
function storeMessage(value: unknown, where: string, options: ImportOptions): { sessionId: string; message: NewMessage } {
  if (options.format === 'analytics') {
    return { sessionId: options.sessionId!, message: checkNewMessage(analyticsMessageToStore(parseAnalyticsMessage(value, where)), where, options.messageLimits) };
  }
  const twilio = parseTwilioMessage(value, where);
  const sessionId = options.sessionId ?? twilio.session_id;
  checkId(sessionId, `${where}.session_id`);
  return { sessionId, message: checkNewMessage(twilioMessageToStore(twilio), where, options.messageLimits) };
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
      const messages = chain([
        input,
        parser({ jsonStreaming: true }),
        (token: parser.Token) => {
          firstToken ??= token.name;
          if (token.name === 'keyValue' && token.value === 'messages') sawMessagesKey = true;
          return token;
        },
        pick({ filter: (stack) => path.test(stack.map((part) => JSON.stringify(part)).join(',')) }),
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

      try {
        for await (const { value } of messages as AsyncIterable<{ value: unknown }>) {
          const index: number = progress.messages + (batch?.messages.length ?? 0) + 1;
          const { sessionId, message } = storeMessage(value, `${name}: message ${index}`, options);
          if (batch && (batch.sessionId !== sessionId || batch.messages.length >= BATCH_SIZE)) await flush();
          batch ??= { sessionId, messages: [] };
          batch.messages.push(message);
        }
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        throw new GatewayError('invalid_argument', `${name} is not valid JSON, or is cut short: ${(error as Error).message} (after ${progress.bytes} bytes)`);
      }
      await flush();
      const problem = progress.messages ? null : emptyInputProblem(options.format, firstToken, sawMessagesKey, name);
      if (problem) throw new GatewayError('invalid_argument', problem);
      return { summary, appended: [...appended.values()] };
    },
    { attempts: 1, timeout: 24 * 60 * 60 * 1000 },
  );
}
