import type { Readable } from 'node:stream';
import chain, { flushable, getManyValues, many, none } from 'stream-chain';
import type { Many } from 'stream-chain/defs.js';
import fixUtf8Stream from 'stream-chain/utils/fixUtf8Stream.js';
import Assembler from 'stream-json/assembler.js';
import { jsonParser, type parser } from 'stream-json/parser.js';
import type { MessagesAppended } from '../live/message-events.js';
import { restoreAccount, type AccountCredentials } from '../store/accounts.js';
import { archiveMessageToStore, archiveSessionToStore, looksLikeArchiveHeader, parseArchiveLine, type ArchiveLine } from '../models/archive.js';
import { analyticsMessageToStore, looksLikeAnalyticsMessage, parseAnalyticsMessage } from '../models/analytics-message.js';
import { parseTwilioMessage, twilioMessageShape, twilioMessageToStore } from '../models/twilio-message.js';
import { appendMessages, type NewMessage } from '../store/append.js';
import type { PrismaClient } from '../store/database.js';
import { GatewayError } from '../errors.js';
import { ensureSession, type Session } from '../store/sessions.js';
import { inTransaction } from '../store/transaction.js';
import { checkId, checkNewMessage, maxStringLength, stringTooLong, type MessageLimits } from '../models/validation.js';

export type ImportFormat = 'twilio' | 'analytics' | 'archive';

export interface ImportOptions {
  accountSid: string;
  format: ImportFormat;
  /** The session to import into; required for analytics arrays, which do not name theirs; archives name their own. */
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

/** What the parser streams a key, string or number as: the token that starts it, the one that ends it, the one it makes whole. */
const STREAMED_VALUES = {
  startKey: { end: 'endKey', whole: 'keyValue', noun: 'an object key' },
  startString: { end: 'endString', whole: 'stringValue', noun: 'a string' },
  startNumber: { end: 'endNumber', whole: 'numberValue', noun: 'a number' },
} as const;

/** Marks the end of a line among the parser's tokens (JSON has no newline inside a key, string or number). */
const LINE_END = { name: 'lineEnd' } as const;
type FileToken = parser.Token | typeof LINE_END;

/**
 * A chain step that parses the file's text into tokens, with LINE_END after each line, so that
 * what follows knows the line a message begins on. JSON that does not parse is refused naming the
 * line, and the line its value began on when that is an earlier one (a JSON Lines line cut short).
 */
function tokensByLine(name: string) {
  const parse = jsonParser({ jsonStreaming: true, packValues: false }) as (text: string | typeof none) => Many<parser.Token> | typeof none;
  let line = 1;
  let depth = 0;
  let valueLine = 1;
  const feed = (text: string | typeof none, tokens: FileToken[]) => {
    let parsed;
    try {
      parsed = parse(text);
    } catch (error) {
      const within = depth && valueLine < line ? `, in the value that begins on line ${valueLine}` : '';
      throw new GatewayError('invalid_argument', `${name} is not valid JSON, or is cut short: ${(error as Error).message} (line ${line}${within})`);
    }
    if (parsed === none) return;
    for (const token of getManyValues(parsed)) {
      if (!depth) valueLine = line;
      if (token.name === 'startObject' || token.name === 'startArray') depth++;
      else if (token.name === 'endObject' || token.name === 'endArray') depth--;
      tokens.push(token);
    }
  };
  return flushable((text: string | typeof none) => {
    const tokens: FileToken[] = [];
    if (text === none) {
      feed(none, tokens);
      return many(tokens);
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      feed(text.slice(start, end + 1), tokens);
      tokens.push(LINE_END);
      line++;
      start = end + 1;
    }
    if (start < text.length) feed(text.slice(start), tokens);
    return many(tokens);
  });
}

/**
 * A chain step that makes each key, string or number the parser streams (those starting with one
 * of `starts`) one token, as the parser would, but refuses one longer than a message may hold as
 * it grows: a 400 MB string is refused at the limit rather than read into memory.
 */
function joinStreamed(starts: readonly (keyof typeof STREAMED_VALUES)[], maxLength: number, tooLong: (noun: string) => GatewayError) {
  let open: (typeof STREAMED_VALUES)[keyof typeof STREAMED_VALUES] | undefined;
  let joined = '';
  return (token: FileToken) => {
    if (!open) {
      if (!(starts as readonly string[]).includes(token.name)) return token;
      open = STREAMED_VALUES[token.name as keyof typeof STREAMED_VALUES];
      return none;
    }
    if (token.name !== open.end) {
      joined += (token as { value: string }).value;
      if (joined.length > maxLength) throw tooLong(open.noun);
      return none;
    }
    const whole = { name: open.whole, value: joined };
    open = undefined;
    joined = '';
    return whole;
  };
}

/** A message as read from the file, with the words that name it in errors. */
interface FileMessage {
  value: unknown;
  where: string;
  /** The file's first message: the one whose shape says which --format the file is in. */
  first: boolean;
}

/**
 * Finds the messages in the file's tokens, whatever its layout. Each value at the top, and each
 * item of an array at the top, is a page when it is an object with a "messages" array (whose
 * items are then the messages) and a message otherwise: pages one after another, arrays of pages,
 * arrays of messages and JSON Lines of messages all read alike. One message is assembled at a
 * time; the rest of a page (its "meta") is passed over.
 */
class MessageFinder {
  private line = 1;
  private depth = 0;
  /** The value at the top is an array: its items are pages or messages. */
  private inTopArray = false;
  private count = 0;
  private readonly assembler = new Assembler();
  /** The message being assembled; a candidate may yet turn out to be a page. */
  private message: { where: string; candidate: boolean } | null = null;
  /** A candidate's "messages" key, held back until the value after it says whether the candidate is a page. */
  private heldMessagesKey = false;
  /** The page being read: the depth inside its object, and inside its "messages" array while there. */
  private page: { depth: number; itemsDepth: number | null } | null = null;
  sawToken = false;

  constructor(
    private readonly name: string,
    private readonly onPage: () => void,
  ) {}

  /** The message being read, or the line, for errors found while reading it. */
  where(): string {
    return this.message?.where ?? `${this.name}: line ${this.line}`;
  }

  readonly step = (token: FileToken): FileMessage | typeof none => {
    if (token.name === 'lineEnd') {
      this.line++;
      return none;
    }
    this.sawToken = true;
    const depth = this.depth;
    if (token.name === 'startObject' || token.name === 'startArray') this.depth++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.depth--;
    if (this.message) return this.assemble(token, depth);
    if (this.page) {
      if (depth === this.page.itemsDepth) {
        if (token.name === 'endArray') this.page.itemsDepth = null;
        else return this.begin(token, false, `message ${this.count + 1}`);
      } else if (depth === this.page.depth && token.name === 'endObject') this.page = null;
      return none;
    }
    if (!depth && token.name === 'startArray') this.inTopArray = true;
    else if (!depth) return this.begin(token, true, `line ${this.line}`);
    else if (this.inTopArray && depth === 1) {
      if (token.name === 'endArray') this.inTopArray = false;
      else return this.begin(token, true, `message ${this.count + 1}`);
    }
    return none;
  };

  private begin(token: parser.Token, candidate: boolean, where: string): FileMessage | typeof none {
    this.count++;
    this.message = { where: `${this.name}: ${where}`, candidate };
    return this.assemble(token, -1);
  }

  private assemble(token: parser.Token, depth: number): FileMessage | typeof none {
    const message = this.message!;
    if (message.candidate && this.assembler.depth === 1) {
      if (this.heldMessagesKey) {
        this.heldMessagesKey = false;
        if (token.name === 'startArray') {
          this.message = null;
          this.assembler.dropToLevel(0);
          this.page = { depth, itemsDepth: this.depth };
          this.count--;
          this.onPage();
          return none;
        }
        this.assembler.consume({ name: 'keyValue', value: 'messages' });
      } else if (token.name === 'keyValue' && token.value === 'messages') {
        this.heldMessagesKey = true;
        return none;
      }
    }
    this.assembler.consume(token);
    if (!this.assembler.done) return none;
    this.message = null;
    return { value: this.assembler.current, where: message.where, first: this.count === 1 };
  }
}

/** The messages of a parsing chain; an error of the stream (not of the caller's work) says the file could not be read, and how far it got. */
async function* streamedMessages(messages: AsyncIterable<FileMessage>, name: string, progress: ImportProgress): AsyncGenerator<FileMessage> {
  try {
    yield* messages;
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('invalid_argument', `${name} is not valid JSON, or is cut short: ${(error as Error).message} (after ${progress.bytes} bytes)`);
  }
}

/**
 * One message from the file, checked and mapped, with the session it belongs to. The file's first
 * message names the other --format when it has that format's shape and none of this one's.
 */
function storeMessage({ value, where, first }: FileMessage, options: ImportOptions): { sessionId: string; message: NewMessage } {
  if (first && looksLikeArchiveHeader(value)) throw new GatewayError('invalid_argument', `${where} is the header of a gateway archive: use --format archive`);
  const shape = twilioMessageShape(value);
  if (options.format === 'analytics') {
    if (first && shape) throw new GatewayError('invalid_argument', `${where} is a Twilio message: use --format twilio`);
    return { sessionId: options.sessionId!, message: checkNewMessage(analyticsMessageToStore(parseAnalyticsMessage(value, where)), where, options.messageLimits) };
  }
  if (first && !shape && looksLikeAnalyticsMessage(value)) {
    throw new GatewayError('invalid_argument', `${where} is an analytics message: use --format analytics --session ID`);
  }
  const twilio = parseTwilioMessage(value, where);
  const sessionId = options.sessionId ?? twilio.session_id;
  checkId(sessionId, `${where}.${shape === 'library' ? 'sessionId' : 'session_id'}`);
  return { sessionId, message: checkNewMessage(twilioMessageToStore(twilio), where, options.messageLimits) };
}

/**
 * One line of an archive, checked. The first line must be the archive's header: a file in another
 * format is named as such.
 */
function archiveLine({ value, where, first }: FileMessage): ArchiveLine {
  if (first && !looksLikeArchiveHeader(value)) {
    const format = twilioMessageShape(value) ? ' (it is a Twilio message: use --format twilio)' : looksLikeAnalyticsMessage(value) ? ' (it is an analytics message: use --format analytics)' : '';
    throw new GatewayError('invalid_argument', `${where} is not the header of a gateway archive${format}`);
  }
  const line = parseArchiveLine(value, where);
  if (!first && line.type === 'archive') throw new GatewayError('invalid_argument', `${where} is a second archive header: an archive has one, on its first line`);
  return line;
}

/**
 * Imports one file, streamed, in one transaction: either all of it is stored, or (on malformed
 * JSON, a truncated file, an invalid message, a conflicting message id) none of it. Messages
 * already stored identically are counted as present, so importing a file twice changes nothing.
 * Returns what was written and, per session, the positions appended for live subscribers.
 *
 * An archive restores its sessions as they were (names, dates, verification) and, into a
 * database without its account, the account too, under a new auth token (returned).
 */
export async function importMessages(
  prisma: PrismaClient,
  input: Readable,
  name: string,
  options: ImportOptions,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<{ summary: ImportSummary; appended: MessagesAppended[]; account?: AccountCredentials }> {
  const accountExists = !!(await prisma.account.findUnique({ where: { sid: options.accountSid } }));
  if (!accountExists && options.format !== 'archive') {
    throw new GatewayError('not_found', `There is no account ${options.accountSid}; create one with "conversation-gateway account create"`);
  }
  if (options.format === 'archive' && options.sessionId) {
    throw new GatewayError('invalid_argument', 'An archive names its own sessions: leave out --session');
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
      let account: AccountCredentials | undefined;
      // The file starts flowing only now, inside the transaction, with its reader attached.
      const progress: ImportProgress = { bytes: 0, messages: 0 };
      input.on('data', (chunk: Buffer) => (progress.bytes += chunk.length));
      // Keys, strings and numbers come in pieces and are joined, each refused once over the limit:
      // the parser would hold any of them whole, however long.
      const finder = new MessageFinder(name, () => {
        if (options.format === 'analytics') throw new GatewayError('invalid_argument', `${name} looks like a Twilio page: use --format twilio`);
      });
      const messages = chain([
        input,
        fixUtf8Stream(),
        tokensByLine(name),
        joinStreamed(['startKey', 'startString', 'startNumber'], maxStringLength(options.messageLimits), (noun) => stringTooLong(finder.where(), noun, options.messageLimits)),
        finder.step,
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

      /** Header and session lines of an archive: the account restored when missing, each session created as it was. */
      const restore = async (line: Exclude<ArchiveLine, { type: 'message' }>, where: string) => {
        if (line.type === 'archive') {
          // Checked whether or not the account exists: one tenant's archive never lands in another's.
          if (line.account.sid !== options.accountSid) {
            throw new GatewayError('invalid_argument', `${where}: the archive is of account ${line.account.sid}, not ${options.accountSid}; import it with --account ${line.account.sid}`);
          }
          if (accountExists) return;
          account = await restoreAccount(tx, { sid: line.account.sid, name: line.account.name, createdAt: new Date(line.account.date_created) });
          return;
        }
        await flush();
        if (sessions.has(line.id)) throw new GatewayError('invalid_argument', `${where}: session "${line.id}" has a line of its own already`);
        const ensured = await ensureSession(tx, options.accountSid, archiveSessionToStore(line));
        summary[ensured.created ? 'sessionsCreated' : 'sessionsPresent']++;
        sessions.set(line.id, ensured.session);
      };

      for await (const read of streamedMessages(messages as AsyncIterable<FileMessage>, name, progress)) {
        let sessionId: string, message: NewMessage;
        if (options.format === 'archive') {
          const line = archiveLine(read);
          if (line.type !== 'message') {
            await restore(line, read.where);
            continue;
          }
          if (!sessions.has(line.session_id)) throw new GatewayError('invalid_argument', `${read.where}: session "${line.session_id}" has no line before its messages`);
          sessionId = line.session_id;
          message = checkNewMessage(archiveMessageToStore(line), read.where, options.messageLimits);
        } else {
          ({ sessionId, message } = storeMessage(read, options));
        }
        if (batch && (batch.sessionId !== sessionId || batch.messages.length >= BATCH_SIZE)) await flush();
        batch ??= { sessionId, messages: [] };
        batch.messages.push(message);
      }
      await flush();
      if (!finder.sawToken) throw new GatewayError('invalid_argument', `${name} is empty`);
      return { summary, appended: [...appended.values()], ...(account ? { account } : {}) };
    },
    { attempts: 1, timeout: 24 * 60 * 60 * 1000 },
  );
}
