import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { archiveHeader, archiveMessageFromStore, archiveSessionFromStore } from '../models/archive.js';
import { openaiItemsFromStore } from '../models/openai-item.js';
import { twilioMessageFromStore } from '../models/twilio-message.js';
import type { PrismaClient } from '../store/database.js';
import { SealingKey } from '../store/sealing.js';
import { DEFAULT_MAX_READ_BYTES, ReadBudget } from '../store/read-budget.js';
import { readSessionPage, type SessionFilter, type SessionList } from '../store/session-pages.js';
import { findSession, loadAssistantIdsOf, type Session } from '../store/sessions.js';
import { readTimelinePage, type TimelinePage, type TimelinePageQuery } from '../store/timeline-pages.js';
import type { Page } from '../store/pages.js';
import { isIdentitySession } from '../store/identity-data.js';
import { MESSAGE_KINDS, type TimelineFilter, type TimelineItem } from '../store/timeline.js';
import { GatewayError } from '../errors.js';

export type ExportFormat = 'archive' | 'twilio' | 'openai';

export interface ExportOptions {
  accountSid: string;
  format: ExportFormat;
  /** One session, by its id or name. */
  sessionId?: string;
  /**
   * What belongs to one identity, as erasing it would remove (identity-data.ts): its sessions whole,
   * and in other sessions the messages carrying it, with their sources.
   */
  identity?: string;
  /** Only the messages created at or after this, and the sessions that have some. */
  since?: Date;
  /** The bytes of rows one page of messages may hold (MAX_READ_BYTES by default): what memory holds at a time. */
  pageBytes?: number;
}

export interface ExportProgress {
  sessions: number;
  messages: number;
}

/** Sessions are read this many at a time (a session row is small and of bounded size). */
const SESSION_PAGE_SIZE = 100;
/** Messages are read at most this many at a time, fewer when they would go past the page's bytes. */
const MESSAGE_PAGE_SIZE = 1000;

/**
 * The store's two page readers as the export walks them: the account's sessions in creation
 * order, and each session's messages (with their sources), or only those carrying an identity, a
 * page at a time within a byte budget.
 */
function storePages(prisma: PrismaClient, accountSid: string, filter: SessionFilter, since: Date | undefined, pageBytes: number) {
  // The cursors never leave this process: a key of its own seals them, and the deployment's is not needed.
  const sealingKey = new SealingKey(randomBytes(32));
  const list: SessionList = { accountSid, sealingKey, filter, order: 'CREATED_AT_ASC' };
  return {
    async *sessions(): AsyncGenerator<Session[]> {
      for (let after: string | null = null; ; ) {
        const page: Page<Session> = await readSessionPage(prisma, list, { first: SESSION_PAGE_SIZE, after });
        if (page.items.length) yield page.items;
        if (!page.pageInfo.hasNextPage) return;
        after = page.pageInfo.endCursor;
      }
    },
    async *messages(session: Session, carrying: string | undefined): AsyncGenerator<TimelinePage> {
      const timelineFilter: TimelineFilter = { kinds: MESSAGE_KINDS, createdAfter: since, ...(carrying !== undefined ? { identity: carrying } : {}) };
      for (let after: string | null = null; ; ) {
        const query: TimelinePageQuery = { accountSid, session, page: { first: MESSAGE_PAGE_SIZE, after }, filter: timelineFilter };
        const page: TimelinePage = (await readTimelinePage(prisma, sealingKey, query, new ReadBudget(pageBytes)))!;
        if (page.items.length) yield page;
        if (!page.pageInfo.hasNextPage) return;
        after = page.pageInfo.endCursor;
      }
    },
  };
}

/** Writes a chunk, waiting while the destination's buffer is full: memory holds one page, however slow the reader. */
async function write(output: Writable, chunk: string): Promise<void> {
  // A destination that failed between two writes takes nothing more and never drains: its error ends the export.
  if (output.errored) throw output.errored;
  if (!output.write(chunk)) await once(output, 'drain');
}

/** One format's lines: what opens the file, what a session's line is, and a message's. */
interface ExportLines {
  header(account: { sid: string; name: string; createdAt: Date }): string;
  session(session: Session, assistantId: string | null): string;
  message(item: TimelineItem, sources: readonly TimelineItem[], session: Session, assistantId: string | null): string;
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

const exportLines: Record<ExportFormat, ExportLines> = {
  archive: {
    header: (account) => line(archiveHeader(account)),
    session: (session, assistantId) => line(archiveSessionFromStore(session, assistantId)),
    message: (item, sources, session) => line(archiveMessageFromStore(item, sources, session.sessionId)),
  },
  twilio: {
    header: () => '',
    session: () => '',
    message: (item, sources, session, assistantId) =>
      line(twilioMessageFromStore(item, sources, { sessionId: session.sessionId, accountSid: session.accountSid, assistantId, identity: session.identity })),
  },
  openai: {
    header: () => '',
    session: () => '',
    message: (item, sources, session) =>
      openaiItemsFromStore(item, sources)
        .map((openaiItem) => line({ session_id: session.sessionId, item: openaiItem }))
        .join(''),
  },
};

/** Writes an export to `output`; see `exportAccount`. */
export type ExportWriter = (output: Writable, onProgress?: (progress: ExportProgress) => void) => Promise<ExportProgress>;

/**
 * Finds what an export names, refusing an unknown account or session before anything is written
 * (a caller opens its file only then), and returns what writes the export.
 */
export async function prepareExport(prisma: PrismaClient, options: ExportOptions): Promise<ExportWriter> {
  const account = await prisma.account.findUnique({ where: { sid: options.accountSid } });
  if (!account) throw new GatewayError('not_found', `There is no account ${options.accountSid}`);
  const only = options.sessionId === undefined ? null : await findSession(prisma, account.sid, options.sessionId);
  if (options.sessionId !== undefined && !only) throw new GatewayError('not_found', `Account ${account.sid} has no session "${options.sessionId}"`);
  return (output, onProgress = () => {}) => writeExport(prisma, output, options, account, only, onProgress);
}

/**
 * Writes an account's sessions and their messages to `output`, streamed: one page of sessions and
 * one page of one session's messages (a byte budget's worth) are held at a time, and each page is
 * written, waiting for the destination to take it, before the next is read. Never a whole account.
 */
export async function exportAccount(
  prisma: PrismaClient,
  output: Writable,
  options: ExportOptions,
  onProgress: (progress: ExportProgress) => void = () => {},
): Promise<ExportProgress> {
  return (await prepareExport(prisma, options))(output, onProgress);
}

async function writeExport(
  prisma: PrismaClient,
  output: Writable,
  options: ExportOptions,
  account: { sid: string; name: string; createdAt: Date },
  only: Session | null,
  onProgress: (progress: ExportProgress) => void,
): Promise<ExportProgress> {
  // "At or after": the readers' bounds are strict, and dates are stored to the millisecond.
  const after = options.since && new Date(options.since.getTime() - 1);
  const { identity } = options;
  const filter: SessionFilter = { ...(identity !== undefined ? { holdingIdentity: identity } : {}), ...(after ? { lastMessageAfter: after } : {}) };
  const pages = storePages(prisma, account.sid, filter, after, options.pageBytes ?? DEFAULT_MAX_READ_BYTES);
  const lines = exportLines[options.format];
  const progress: ExportProgress = { sessions: 0, messages: 0 };

  await write(output, lines.header(account));
  for await (const sessions of only ? [[only]] : pages.sessions()) {
    const assistantIds = await loadAssistantIdsOf(prisma, account.sid, sessions);
    for (const [n, session] of sessions.entries()) {
      const assistantId = assistantIds[n]!;
      // Of another person's session only the identity's messages are written, its line just before the first: since a date it may have none.
      // Such a session is shown without its identity and name, which are another person's.
      const carrying = identity === undefined || isIdentitySession(session, identity) ? undefined : identity;
      const shown = carrying === undefined ? session : { ...session, identity: null, name: null };
      let written = false;
      const writeSession = async () => {
        if (!written) await write(output, lines.session(shown, assistantId));
        written = true;
      };
      if (carrying === undefined) await writeSession();
      for await (const page of pages.messages(session, carrying)) {
        await writeSession();
        await write(output, page.items.map((item) => lines.message(item, page.sourcesOf.get(item.id) ?? [], shown, assistantId)).join(''));
        progress.messages += page.items.length;
        onProgress(progress);
      }
      if (!written) continue;
      progress.sessions++;
      onProgress(progress);
    }
  }
  return progress;
}
