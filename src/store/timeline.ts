import { Prisma, type ItemKind, type TimelineItem } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { GatewayError } from '../errors.js';
import { readBudgetExceeded, type ReadBudget } from './read-budget.js';
import { MAX_TIMELINE_POSITION } from './cursors.js';
import { foundSessionFromJson, foundSessionJsonSql, sessionMatchSql, type FoundSession } from './sessions.js';

export type { ItemKind, TimelineItem };

/** The items that are messages in both legacy APIs: everything but sources, which come inside the message citing them. */
export const MESSAGE_KINDS = ['CHAT_MESSAGE', 'TOOL_CALL', 'KNOWLEDGE_CALL'] as const satisfies readonly ItemKind[];

/** Narrows a timeline; every condition is optional and they combine with AND. */
export interface TimelineFilter {
  kinds?: readonly ItemKind[];
  /** Only items with one of these roles (sources have none, so a role filter leaves them out). */
  roles?: readonly string[];
  createdAfter?: Date;
  createdBefore?: Date;
}

/**
 * Columns a page reader may leave out when nothing it serves reads them: they come back null. Each
 * reader names the ones it reads: the Twilio model (TWILIO_COLUMNS), and GraphQL from
 * the fields a document names (timeline-columns.ts).
 * Every other column a surface shows is always read; `fingerprint` (only appends compare it) never.
 */
export const OPTIONAL_COLUMNS = ['accountSid', 'origin', 'identity', 'assistantId', 'text', 'content', 'meta', 'toolName', 'updatedAt'] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

const ALWAYS_READ = ['id', 'sessionPk', 'seq', 'kind', 'messageId', 'role', 'confidence', 'parentId', 'sourceKey', 'url', 'score', 'title', 'createdAt'];
const NULL_OF: Record<OptionalColumn, string> = {
  accountSid: 'NULL::text',
  origin: 'NULL::"Origin"',
  identity: 'NULL::text',
  assistantId: 'NULL::text',
  text: 'NULL::text',
  content: 'NULL::json',
  meta: 'NULL::json',
  toolName: 'NULL::text',
  updatedAt: 'NULL::timestamptz',
};

/**
 * The select list of a page's rows (`alias`'s columns), the optional columns not asked for as NULL.
 * Named, never `*`: statements are prepared, and a column added to the table while they are must
 * not change what they return.
 */
function columnsSql(alias: string, columns: readonly OptionalColumn[] = OPTIONAL_COLUMNS): Prisma.Sql {
  const wanted = new Set(columns);
  const list = [
    ...ALWAYS_READ.map((column) => `${alias}."${column}"`),
    ...OPTIONAL_COLUMNS.map((column) => (wanted.has(column) ? `${alias}."${column}"` : `${NULL_OF[column]} AS "${column}"`)),
  ];
  return Prisma.raw(list.join(', '));
}

/** A row of nothing but NULLs, where a statement's answer carries a figure instead of an item. */
const NO_COLUMNS = Prisma.raw([...ALWAYS_READ, ...OPTIONAL_COLUMNS].map(() => 'NULL').join(', '));

/**
 * What a row of a page is taken to hold in memory: a fixed share for the object and its small
 * fields, plus the stored bytes of each text and JSON column read (PostgreSQL knows them without
 * reading a value out of its TOAST storage).
 */
export const ROW_OVERHEAD_BYTES = 300;
const SIZED_COLUMNS = ['messageId', 'role', 'sourceKey', 'url', 'title', 'accountSid', 'identity', 'assistantId', 'text', 'content', 'meta', 'toolName'] as const;

export function rowBytesSql(alias: string, columns: readonly OptionalColumn[] = OPTIONAL_COLUMNS): Prisma.Sql {
  const read = new Set<string>([...ALWAYS_READ, ...columns]);
  const sizes = SIZED_COLUMNS.filter((column) => read.has(column)).map((column) => `coalesce(octet_length(${alias}."${column}"::text), 0)`);
  return Prisma.raw(`(${[ROW_OVERHEAD_BYTES, ...sizes].join(' + ')})::bigint`);
}

/** One page of one session's timeline: items strictly between two `seq` positions, nearest first. */
export interface TimelineWindow {
  sessionPk: bigint;
  afterSeq?: number;
  beforeSeq?: number;
  limit: number;
  /** Read backwards from `beforeSeq` (a `last`/`before` page): items come back newest first. */
  newestFirst: boolean;
  filter: TimelineFilter;
  /** The optional columns the reader needs; all of them when left out. */
  columns?: readonly OptionalColumn[];
  /** Whether the sources of the messages on the page are read with it; they are unless this is false. */
  sources?: boolean;
}


function filterSql({ kinds, roles, createdAfter, createdBefore }: TimelineFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (kinds) conditions.push(Prisma.sql`AND i.kind::text = ANY(${[...kinds]}::text[])`);
  if (roles) conditions.push(Prisma.sql`AND i.role = ANY(${[...roles]}::text[])`);
  if (createdAfter) conditions.push(Prisma.sql`AND i."createdAt" > ${createdAfter}`);
  if (createdBefore) conditions.push(Prisma.sql`AND i."createdAt" < ${createdBefore}`);
  return conditions.length ? Prisma.join(conditions, ' ') : Prisma.empty;
}

function filterKey(filter: TimelineFilter): string {
  return JSON.stringify([filter.kinds, filter.roles, filter.createdAfter, filter.createdBefore]);
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  values.forEach((value, index) => {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(index);
    else groups.set(k, [index]);
  });
  return groups;
}

/** The rows one window read holds, nearest the cursor first, with the sources of the messages on it. */
export interface WindowRows {
  items: TimelineItem[];
  /** For every chat message and knowledge call on the page, its sources in key order (maybe none). */
  sourcesOf: Map<bigint, TimelineItem[]>;
  /** The bytes the whole window (its `limit` items, with their sources) takes, held or not. */
  bytes: number;
  /**
   * False when the page stopped short of its `limit` items because the rest would have gone past
   * the read budget: the items held are those nearest the cursor, and more follow them.
   */
  complete: boolean;
}

/**
 * Reads windows of sessions' timelines, each with the sources of the messages on it: what the
 * timeline page reader (timeline-pages.ts), behind every surface, reads. Page n of the answer is window n's, rows being handed back by the
 * window that asked for them, so two windows on one session (aliased pages) each get their own.
 * One statement per distinct (size, direction, filter, columns): a LATERAL keyset scan per window over the
 * (sessionPk, seq) index, so twenty windows cost what one does and a deep page what the first one
 * does. Prisma's `cursor` + `skip` would compile to a sub-select per page instead. Linear in the
 * rows read, which come straight from the driver (see rows.ts).
 *
 * Memory is bounded by `budget`, not by the page sizes: each item is sized in the statement (its
 * sources with it), a running sum over the windows in order keeps only what fits, and a page cut
 * short says so (`complete`). On a budget nothing has been charged to yet, the first item is
 * held whatever its size, so paging always moves on (one message is bounded by MAX_MESSAGE_BYTES).
 * Statements run one after another, each given what the ones before left.
 */
export async function loadTimelineWindows(prisma: PrismaClient, windows: readonly TimelineWindow[], budget: ReadBudget): Promise<WindowRows[]> {
  return (await readWindows(prisma, windows, budget)).pages;
}

/** A session to look up by its id or name (sessionMatchSql) in the statement that reads a window of its timeline. */
export interface SessionLookup {
  accountSid: string;
  idOrName: string;
}

/**
 * The session `lookup` finds (null when the account has none) and a window of its timeline, read
 * together in one statement, as loadTimelineWindows reads one window: one round trip for a page.
 */
export async function loadSessionTimelineWindow(
  prisma: PrismaClient,
  lookup: SessionLookup,
  window: Omit<TimelineWindow, 'sessionPk'>,
  budget: ReadBudget,
): Promise<{ session: FoundSession | null; rows: WindowRows }> {
  const { pages, session } = await readWindows(prisma, [{ ...window, sessionPk: 0n }], budget, lookup);
  return { session, rows: pages[0]! };
}

/**
 * loadTimelineWindows' reader. With a `lookup`, the one window is that session's (its `sessionPk`
 * unused): a first CTE finds the session, the window is read on it, and a row more carries the
 * session (as JSON, its columns not being an item's).
 */
async function readWindows(
  prisma: PrismaClient,
  windows: readonly TimelineWindow[],
  budget: ReadBudget,
  lookup?: SessionLookup,
): Promise<{ pages: WindowRows[]; session: FoundSession | null }> {
  let session: FoundSession | null = null;
  const pages: WindowRows[] = windows.map(() => ({ items: [], sourcesOf: new Map(), bytes: 0, complete: true }));
  const groups = groupBy(windows, (w) => `${w.limit}:${w.newestFirst}:${filterKey(w.filter)}:${w.columns ?? 'all'}:${w.sources !== false}`);
  for (const indexes of groups.values()) {
    const first = windows[indexes[0]!]!;
    const direction = first.newestFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`;
    const withSources = first.sources !== false;
    const sourcesBytes = withSources
      ? Prisma.sql`+ CASE WHEN i.kind IN ('CHAT_MESSAGE', 'KNOWLEDGE_CALL')
          THEN (SELECT coalesce(sum(${rowBytesSql('s', first.columns)}), 0) FROM timeline_item s WHERE s."parentId" = i.id) ELSE 0 END`
      : Prisma.empty;
    const unfound = lookup ? Prisma.sql`, NULL::json AS session` : Prisma.empty;
    const rows = await prisma.$readRows<TimelineItem & { windowIndex: number; cited: boolean; windowBytes: number | null; heldBytes: number | null; cut: boolean | null; session?: Record<string, unknown> | null }>(Prisma.sql`
      WITH ${lookup
        ? Prisma.sql`found AS (
        SELECT found.id, ${foundSessionJsonSql('found', 'a."assistantId"')} AS session FROM session found LEFT JOIN assistant a ON a.id = found."assistantPk" AND a."accountSid" = found."accountSid"
        WHERE ${sessionMatchSql('found', lookup.accountSid, lookup.idOrName)}
      ),`
        : Prisma.empty}
      scanned AS (
        SELECT w.window_index AS "windowIndex", i.* FROM ${lookup
          ? Prisma.sql`(SELECT 0, found.id, ${first.afterSeq ?? 0}::int, ${first.beforeSeq ?? MAX_TIMELINE_POSITION}::int FROM found)`
          : Prisma.sql`unnest(
          ${indexes}::int[],
          ${indexes.map((n) => windows[n]!.sessionPk)}::bigint[],
          ${indexes.map((n) => windows[n]!.afterSeq ?? 0)}::int[],
          ${indexes.map((n) => windows[n]!.beforeSeq ?? MAX_TIMELINE_POSITION)}::int[]
        )`} AS w(window_index, session_pk, after_seq, before_seq)
        CROSS JOIN LATERAL (
          SELECT ${columnsSql('i', first.columns)}, ${rowBytesSql('i', first.columns)} ${sourcesBytes} AS item_bytes FROM timeline_item i
          WHERE i."sessionPk" = w.session_pk AND i.seq > w.after_seq AND i.seq < w.before_seq
          ${filterSql(first.filter)}
          ORDER BY i.seq ${direction}
          LIMIT ${first.limit}
        ) i
      ),
      sized AS (
        SELECT scanned.*,
               sum(item_bytes) OVER (ORDER BY "windowIndex", seq ${direction}) AS running_bytes,
               row_number() OVER (ORDER BY "windowIndex", seq ${direction}) AS nth,
               sum(item_bytes) OVER (PARTITION BY "windowIndex") AS window_bytes
        FROM scanned
      ),
      page AS (
        SELECT * FROM sized WHERE running_bytes <= ${budget.remaining} OR (nth = 1 AND ${budget.held === 0}::boolean)
      ),
      held AS (
        SELECT sized."windowIndex", min(sized.window_bytes)::float8 AS window_bytes, coalesce(sum(page.item_bytes), 0)::float8 AS held_bytes,
               bool_or(page.nth IS NULL) AS cut
        FROM sized LEFT JOIN page ON page."windowIndex" = sized."windowIndex" AND page.seq = sized.seq
        GROUP BY sized."windowIndex"
      )
      SELECT ${columnsSql('page', first.columns)}, page."windowIndex", false AS cited, NULL::float8 AS "windowBytes", NULL::float8 AS "heldBytes", NULL::boolean AS cut ${unfound} FROM page
      ${withSources
        ? Prisma.sql`UNION ALL
      SELECT ${columnsSql('s', first.columns)}, page."windowIndex", true AS cited, NULL, NULL, NULL ${unfound} FROM page JOIN timeline_item s ON s."parentId" = page.id
      WHERE page.kind IN ('CHAT_MESSAGE', 'KNOWLEDGE_CALL')`
        : Prisma.empty}
      UNION ALL
      SELECT ${NO_COLUMNS}, held."windowIndex", false, held.window_bytes, held.held_bytes, held.cut ${unfound} FROM held
      ${lookup
        ? Prisma.sql`UNION ALL
      SELECT ${NO_COLUMNS}, 0, false, NULL, NULL, false, found.session FROM found`
        : Prisma.empty}`);
    // The rows are handed on as they came, windowIndex and cited included: a copy of each would cost more than the rest of the loop.
    for (const row of rows) {
      const page = pages[row.windowIndex]!;
      // A row without an item: the window's figures, or the session looked up.
      if (row.cut !== null) {
        if (row.session) {
          session = foundSessionFromJson(row.session);
          continue;
        }
        page.bytes = row.windowBytes!;
        page.complete = !row.cut;
        budget.held += row.heldBytes!;
        continue;
      }
      if (!row.cited) {
        page.items.push(row);
        if (withSources && (row.kind === 'CHAT_MESSAGE' || row.kind === 'KNOWLEDGE_CALL') && !page.sourcesOf.has(row.id)) page.sourcesOf.set(row.id, []);
        continue;
      }
      const sources = page.sourcesOf.get(row.parentId!);
      if (sources) sources.push(row);
      else page.sourcesOf.set(row.parentId!, [row]);
    }
  }
  windows.forEach((window, n) => {
    pages[n]!.items.sort((a, b) => (window.newestFirst ? b.seq - a.seq : a.seq - b.seq));
    for (const sources of pages[n]!.sourcesOf.values()) sources.sort((a, b) => a.seq - b.seq);
  });
  return { pages, session };
}

/** The number of items in each session's (filtered) timeline, one statement per distinct filter. */
export async function countTimelines(
  prisma: PrismaClient,
  requests: readonly { sessionPk: bigint; filter: TimelineFilter }[],
): Promise<number[]> {
  const counts = requests.map(() => 0);
  const groups = groupBy(requests, (r) => filterKey(r.filter));
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const rows = await prisma.$readRows<{ sessionPk: bigint; count: number }>(Prisma.sql`
        SELECT i."sessionPk", count(*)::int AS count FROM timeline_item i
        WHERE i."sessionPk" = ANY(${indexes.map((n) => requests[n]!.sessionPk)}::bigint[])
        ${filterSql(requests[indexes[0]!]!.filter)}
        GROUP BY i."sessionPk"`);
      const countOf = new Map(rows.map((row) => [row.sessionPk, row.count]));
      for (const n of indexes) counts[n] = countOf.get(requests[n]!.sessionPk) ?? 0;
    }),
  );
  return counts;
}

/**
 * The items `where` selects, in timeline order, all columns read: one statement, which hands back
 * no more than `budget` allows; past it, the read is refused.
 */
async function readItemsWithin(prisma: PrismaClient, where: Prisma.Sql, budget: ReadBudget): Promise<TimelineItem[]> {
  const rows = await prisma.$readRows<TimelineItem & { totalBytes: number }>(Prisma.sql`
    WITH sized AS (
      SELECT ${columnsSql('timeline_item')}, sum(${rowBytesSql('timeline_item')}) OVER (ORDER BY seq, id ROWS UNBOUNDED PRECEDING) AS running_bytes,
             sum(${rowBytesSql('timeline_item')}) OVER ()::float8 AS "totalBytes", row_number() OVER (ORDER BY seq, id) AS nth
      FROM timeline_item WHERE ${where}
    )
    SELECT ${columnsSql('sized')}, "totalBytes" FROM sized WHERE running_bytes <= ${budget.remaining} OR nth = 1 ORDER BY seq, id`);
  const totalBytes = rows[0]?.totalBytes ?? 0;
  if (totalBytes > budget.remaining) throw readBudgetExceeded(budget.held + totalBytes, budget);
  budget.held += totalBytes;
  return rows;
}

/** The sources of each message, in key order; one statement for all of them, within `budget`. */
export async function loadSourcesOf(prisma: PrismaClient, accountSid: string, messageIds: readonly bigint[], budget: ReadBudget): Promise<TimelineItem[][]> {
  // A fixed-shape statement: Prisma would compile a new plan for every length of the id list.
  const sources = await readItemsWithin(prisma, Prisma.sql`"parentId" = ANY(${[...messageIds]}::bigint[]) AND "accountSid" = ${accountSid}`, budget);
  const byParent = new Map(messageIds.map((id) => [id, [] as TimelineItem[]]));
  for (const source of sources) byParent.get(source.parentId!)?.push(source);
  return messageIds.map((id) => byParent.get(id)!);
}

/** Timeline items by id, of the account only, within `budget`. */
export async function loadItemsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[], budget: ReadBudget): Promise<(TimelineItem | GatewayError)[]> {
  const items = await readItemsWithin(prisma, Prisma.sql`id = ANY(${[...ids]}::bigint[]) AND "accountSid" = ${accountSid}`, budget);
  const byId = new Map(items.map((item) => [item.id, item]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No timeline item ${id}`));
}

/** The bytes the account's timeline items of these ids take, every column read (as a node is). */
export async function timelineItemBytes(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<number> {
  const [row] = await prisma.$readRows<{ bytes: number }>(Prisma.sql`
    SELECT coalesce(sum(${rowBytesSql('timeline_item')}), 0)::float8 AS bytes FROM timeline_item WHERE id = ANY(${[...ids]}::bigint[]) AND "accountSid" = ${accountSid}`);
  return row!.bytes;
}
