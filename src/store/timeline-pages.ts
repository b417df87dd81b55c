import type { PrismaClient } from './database.js';
import { GatewayError } from '../errors.js';
import { timelineCursorsOf, timelinePosition, uncheckedTimelinePosition } from './cursors.js';
import { keysetPage, keysetWindow, type KeysetWindow, type Page, type PageRequest } from './pages.js';
import type { ReadBudget } from './read-budget.js';
import type { SealingKey } from './sealing.js';
import type { FoundSession, Session } from './sessions.js';
import { loadSessionTimelineWindow, loadTimelineWindows, type TimelineFilter, type TimelineItem, type TimelineWindow, type WindowRows } from './timeline.js';

/** What a page of a timeline holds besides its window: which items, which of their columns and of their sources', and whether their sources come with them. */
export type TimelineRead = Pick<TimelineWindow, 'filter' | 'columns' | 'sourceColumns' | 'sources'>;

/** A page of one session's timeline as a client asked for it, its cursors opened. */
export interface TimelinePageWindow extends TimelineWindow {
  keyset: KeysetWindow;
}

/** A page of a timeline in order, with the sources of the messages on it. */
export interface TimelinePage extends Page<TimelineItem> {
  /** For every chat message and knowledge call on the page, its sources in key order (maybe none). */
  sourcesOf: Map<bigint, TimelineItem[]>;
  /** The bytes the whole window takes, held or not. */
  bytes: number;
  /** False when the page stopped short for want of read budget (see loadTimelineWindows); its page info says more follow. */
  complete: boolean;
}

/**
 * The window a request reads on a session's timeline. A request that asks for nothing servable,
 * or a cursor of another list (another session's timeline included), is refused here, before
 * anything is read.
 */
export function timelinePageWindow(sealingKey: SealingKey, sessionPk: bigint, request: PageRequest, read: TimelineRead): TimelinePageWindow {
  const keyset = keysetWindow(request);
  return {
    sessionPk,
    afterSeq: keyset.after ? timelinePosition(sealingKey, sessionPk, keyset.after) : undefined,
    beforeSeq: keyset.before ? timelinePosition(sealingKey, sessionPk, keyset.before) : undefined,
    limit: keyset.limit,
    newestFirst: keyset.newestFirst,
    ...read,
    keyset,
  };
}

/**
 * Pages of sessions' timelines, read together (loadTimelineWindows: one statement per distinct
 * shape, however many sessions) within `budget`; each page's cursors are bound to its session.
 */
export async function readTimelinePages(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  windows: readonly TimelinePageWindow[],
  budget: ReadBudget,
): Promise<TimelinePage[]> {
  const pages = await loadTimelineWindows(prisma, windows, budget);
  return pages.map((rows, n) => timelinePageOf(sealingKey, windows[n]!.sessionPk, windows[n]!.keyset, rows));
}

/** The page a window's rows make, its cursors bound to the session. */
function timelinePageOf(sealingKey: SealingKey, sessionPk: bigint, keyset: KeysetWindow, { items, sourcesOf, bytes, complete }: WindowRows): TimelinePage {
  return { ...keysetPage(keyset, items, timelineCursorsOf(sealingKey, sessionPk, items), !complete), sourcesOf, bytes, complete };
}

export interface TimelinePageQuery extends TimelineRead {
  accountSid: string;
  /** The session's id or name (looked up in the account), or the session itself when a stream reads its next page. */
  session: string | Session;
  page: PageRequest;
}

/** A session found by id or name, and the page of its timeline read with it; `refused`: the page was not, its cursor being another list's. */
export type SessionWithPage = { session: FoundSession } & ({ window: TimelinePageWindow; page: TimelinePage } | { refused: GatewayError });

/**
 * The session the account has by this id or name (null when none) and a page of its timeline, in
 * one statement. A cursor names its session, which is not known before the statement: the page is
 * read at the position the cursor holds, and handed out only if the cursor then proves to be of
 * that session's timeline (timelinePageWindow, as for any page), else refused as it would be.
 */
export async function readSessionWithPage(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  { accountSid, session: idOrName, page, ...read }: TimelinePageQuery & { session: string },
  budget: ReadBudget,
): Promise<SessionWithPage | null> {
  const keyset = keysetWindow(page);
  const heldBefore = budget.held;
  const { session, rows } = await loadSessionTimelineWindow(
    prisma,
    { accountSid, idOrName },
    {
      afterSeq: keyset.after ? uncheckedTimelinePosition(sealingKey, keyset.after) : undefined,
      beforeSeq: keyset.before ? uncheckedTimelinePosition(sealingKey, keyset.before) : undefined,
      limit: keyset.limit,
      newestFirst: keyset.newestFirst,
      ...read,
    },
    budget,
  );
  if (!session) return null;
  let window: TimelinePageWindow;
  try {
    window = timelinePageWindow(sealingKey, session.id, page, read);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // What was read at a position the cursor did not hold is dropped, and holds none of the budget.
    budget.held = heldBefore;
    return { session, refused: error };
  }
  return { session, window, page: timelinePageOf(sealingKey, session.id, keyset, rows) };
}

/**
 * One page of one session's timeline, the session looked up by id or name in the account (in the
 * same statement: readSessionWithPage): null when it has none. A page cut short by `budget` holds
 * what fits and says that more follow.
 */
export async function readTimelinePage(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  query: TimelinePageQuery & { session: string },
  budget: ReadBudget,
): Promise<(TimelinePage & { session: FoundSession }) | null>;
export async function readTimelinePage(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  query: TimelinePageQuery,
  budget: ReadBudget,
): Promise<(TimelinePage & { session: Session }) | null>;
export async function readTimelinePage(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  query: TimelinePageQuery,
  budget: ReadBudget,
): Promise<(TimelinePage & { session: Session }) | null> {
  const { accountSid, session, page, ...read } = query;
  if (typeof session !== 'string') {
    const [timelinePage] = await readTimelinePages(prisma, sealingKey, [timelinePageWindow(sealingKey, session.id, page, read)], budget);
    return { ...timelinePage!, session };
  }
  const found = await readSessionWithPage(prisma, sealingKey, { ...query, session }, budget);
  if (!found) return null;
  if ('refused' in found) throw found.refused;
  return { ...found.page, session: found.session };
}
