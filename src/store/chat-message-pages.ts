import { Prisma } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import type { ReadBudget } from './read-budget.js';
import { sessionMatchSql } from './sessions.js';
import { citedSourcesSql, rowBytesSql, type OptionalColumn, type TimelineItem } from './timeline.js';

/** The columns of a source's row that a view of the message citing it prints. */
const CITED_SOURCE_COLUMNS = ['sourceKey', 'text', 'url', 'score', 'title'] as const satisfies readonly (keyof TimelineItem)[];

/** A source as a chat message of a page carries it: CITED_SOURCE_COLUMNS of its row. */
export type CitedSource = Pick<TimelineItem, (typeof CITED_SOURCE_COLUMNS)[number]>;

/** The columns of a chat message's row that the analytics view prints: what a page reads of each, and is charged for. */
const MESSAGE_COLUMNS = ['messageId', 'role', 'text', 'confidence', 'createdAt', 'origin', 'meta'] as const satisfies readonly OptionalColumn[];

/** A chat message as a page of them holds it: its position, MESSAGE_COLUMNS, and its sources. */
export interface ChatMessageRow extends Pick<TimelineItem, 'seq' | (typeof MESSAGE_COLUMNS)[number]> {
  /** Its sources in key order, null when it cites none. */
  sources: CitedSource[] | null;
}

export interface ChatMessagesPageQuery {
  accountSid: string;
  /**
   * The session's id or name, looked up in the account (as findSession does) by the page's own
   * statement; or, for the pages after the first, its row id as the first page answered it.
   */
  session: string | bigint;
  /** The position the page starts after: 0 for the session's start, else the `seq` of the last message of the page before. */
  afterSeq: number;
  /** At most this many messages. */
  limit: number;
}

export interface ChatMessagesPage {
  /** The session's row id, for the pages after this one. */
  sessionPk: bigint;
  /** Where the next page starts (its `afterSeq`), null when none follows. */
  nextAfterSeq: number | null;
}

/**
 * What a message of a page is taken to hold in memory, as loadTimelineWindows charges the row of
 * one (rowBytesSql, the columns read here), and its sources as their message's row keeps their size.
 */
const MESSAGE_BYTES = rowBytesSql('i', MESSAGE_COLUMNS);

/** MESSAGE_COLUMNS as a select list, and as the NULLs of the row that carries the page's figures instead of a message. */
const MESSAGE_COLUMNS_SQL = Prisma.raw(MESSAGE_COLUMNS.map((column) => `"${column}"`).join(', '));
const NO_MESSAGE = Prisma.raw(MESSAGE_COLUMNS.map(() => 'NULL').join(', '));

/** The sources of the message of the page's row (citedSourcesSql), each a CitedSource object. */
const CITED_SOURCES = Prisma.raw(citedSourcesSql('page', `json_build_object(${CITED_SOURCE_COLUMNS.map((column) => `'${column}', s."${column}"`).join(', ')})`));

/** The session by id or, failing that, by name (findSession's rule). */
const SESSION_BY_ID_OR_NAME = (accountSid: string, idOrName: string) => Prisma.sql`SELECT id FROM session WHERE ${sessionMatchSql('session', accountSid, idOrName)}`;
const SESSION_BY_PK = (accountSid: string, pk: bigint) => Prisma.sql`
  SELECT id FROM session WHERE "accountSid" = ${accountSid} AND id = ${pk}::bigint`;

/**
 * One page of a session's chat messages in timeline order, for a bulk reader (the analytics
 * array) that prints a few columns of each and its sources: one row per message, its sources
 * aggregated by the database into one JSON value, read straight from the driver and handed to
 * `onMessage` one by one as they are decoded, none kept here (see ReadRows). Against the timeline
 * page reader (loadTimelineWindows, one row per item, the sources of each as values of its own
 * row, the page held whole) that is fewer values to decode.
 *
 * Sources are aggregated in order from a sorted subquery, with no sort per message (citedSourcesSql
 * in timeline.ts says why). One statement, the session lookup included: null when the account
 * has no such session. Memory is bounded by `budget` as the timeline reader bounds it, each
 * message charged with its sources' size as its row keeps it (what they take read whole; they
 * are read only for the messages that cite any): the page stops where the next
 * message would go past it (the first message is held whatever its size on a budget nothing was
 * charged to yet, so paging always moves on), and says that more follow.
 */
export async function readChatMessagesPage(
  prisma: PrismaClient,
  { accountSid, session, afterSeq, limit }: ChatMessagesPageQuery,
  budget: ReadBudget,
  onMessage: (message: ChatMessageRow) => void,
): Promise<ChatMessagesPage | null> {
  const target = typeof session === 'string' ? SESSION_BY_ID_OR_NAME(accountSid, session) : SESSION_BY_PK(accountSid, session);
  type Row = ChatMessageRow & { sessionPk: bigint | null; heldBytes: number | null; more: boolean | null };
  let summary: Row | undefined;
  let lastSeq = afterSeq;
  await prisma.$readRows<Row>(Prisma.sql`
    WITH target AS (${target}),
    scanned AS (
      SELECT i.* FROM target
      CROSS JOIN LATERAL (
        SELECT i.id, i.seq, ${MESSAGE_COLUMNS_SQL}, i."sourcesBytes", ${MESSAGE_BYTES} + i."sourcesBytes" AS item_bytes
        FROM timeline_item i
        WHERE i."sessionPk" = target.id AND i.seq > ${afterSeq} AND i.kind = 'CHAT_MESSAGE'
        ORDER BY i.seq
        LIMIT ${limit + 1}
      ) i
    ),
    sized AS (
      SELECT scanned.*, sum(item_bytes) OVER (ORDER BY seq) AS running_bytes, row_number() OVER (ORDER BY seq) AS nth FROM scanned
    ),
    page AS (
      SELECT * FROM sized WHERE nth <= ${limit} AND (running_bytes <= ${budget.remaining} OR (nth = 1 AND ${budget.held === 0}::boolean))
    )
    SELECT seq, ${MESSAGE_COLUMNS_SQL}, ${CITED_SOURCES} AS sources,
           NULL::bigint AS "sessionPk", NULL::float8 AS "heldBytes", NULL::boolean AS more FROM page
    UNION ALL
    SELECT NULL, ${NO_MESSAGE}, NULL, target.id,
           (SELECT coalesce(sum(item_bytes), 0) FROM page)::float8, (SELECT count(*) FROM sized) > (SELECT count(*) FROM page)
    FROM target
    ORDER BY seq NULLS LAST`, (row) => {
    if (row.sessionPk !== null) {
      summary = row;
      return;
    }
    lastSeq = row.seq;
    onMessage(row);
  });
  // The statement's last row, after the messages: the session's row id (none when there is no such session) and the page's figures.
  if (!summary) return null;
  budget.held += summary.heldBytes!;
  return { sessionPk: summary.sessionPk!, nextAfterSeq: summary.more ? lastSeq : null };
}
