import type { PrismaClient } from './database.js';
import { timelineCursor, timelinePosition } from './cursors.js';
import { keysetPage, keysetWindow, type KeysetWindow, type Page, type PageRequest } from './pages.js';
import type { ReadBudget } from './read-budget.js';
import type { SealingKey } from './sealing.js';
import { findSession, type Session } from './sessions.js';
import { loadTimelineWindows, type TimelineFilter, type TimelineItem, type TimelineWindow } from './timeline.js';

/** What a page of a timeline holds besides its window: which items, which of their columns, and whether their sources come with them. */
export type TimelineRead = Pick<TimelineWindow, 'filter' | 'columns' | 'sources'>;

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
  return pages.map(({ items, sourcesOf, bytes, complete }, n) => {
    const { sessionPk, keyset } = windows[n]!;
    return { ...keysetPage(keyset, items, (item) => timelineCursor(sealingKey, sessionPk, item.seq), !complete), sourcesOf, bytes, complete };
  });
}

export interface TimelinePageQuery extends TimelineRead {
  accountSid: string;
  /** The session's id or name (looked up in the account), or the session itself when a stream reads its next page. */
  session: string | Session;
  page: PageRequest;
}

/**
 * One page of one session's timeline, the session looked up by id or name in the account: null
 * when it has none. A page cut short by `budget` holds what fits and says that more follow.
 */
export async function readTimelinePage(
  prisma: PrismaClient,
  sealingKey: SealingKey,
  { accountSid, session: sessionIdOrName, page, ...read }: TimelinePageQuery,
  budget: ReadBudget,
): Promise<(TimelinePage & { session: Session }) | null> {
  const session = typeof sessionIdOrName === 'string' ? await findSession(prisma, accountSid, sessionIdOrName) : sessionIdOrName;
  if (!session) return null;
  const [timelinePage] = await readTimelinePages(prisma, sealingKey, [timelinePageWindow(sealingKey, session.id, page, read)], budget);
  return { ...timelinePage!, session };
}
