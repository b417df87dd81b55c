import { Prisma, type ItemKind, type TimelineItem } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { GatewayError } from '../errors.js';
import { readBudgetExceeded, type ReadBudget } from './read-budget.js';
import { MAX_TIMELINE_POSITION } from './cursors.js';
import { fromJsonValues, jsonValuesSql, type JsonColumns, type JsonColumnType } from './json-columns.js';
import { carriesIdentitySql } from './identity-data.js';
import { builtOnce, keptOnce, keptStatementTexts } from './sql-fragments.js';
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
  /** Only the items carrying this identity (see identity-data.ts); sources carry none, and come with their message. */
  identity?: string;
}

/**
 * Columns a page reader may leave out when nothing it serves reads them: a row of such a page does
 * not have them (they are undefined, not null). Each reader names the ones it reads: the Twilio
 * model (TWILIO_COLUMNS), and GraphQL from the fields a document names (timeline-columns.ts); a
 * reader naming none reads them all. `id`, `seq` and `kind` are always read (the reader keys
 * sources by the id, orders and pages by the position, and only messages cite sources);
 * `fingerprint` (only appends compare it) and `sourcesBytes` (only the statement sizes with it)
 * never. Left out, a column costs PostgreSQL nothing to write and the driver nothing to decode.
 */
export const OPTIONAL_COLUMNS = [
  'sessionPk',
  'messageId',
  'role',
  'confidence',
  'parentId',
  'sourceKey',
  'url',
  'score',
  'title',
  'createdAt',
  'accountSid',
  'origin',
  'identity',
  'assistantId',
  'text',
  'content',
  'meta',
  'toolName',
  'updatedAt',
] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

const ALWAYS_READ = ['id', 'seq', 'kind'];

/** The columns a page's rows have, in order, when a reader reads `columns`. */
function readColumns(columns: readonly OptionalColumn[]): string[] {
  const wanted = new Set<string>(columns);
  return [...ALWAYS_READ, ...OPTIONAL_COLUMNS.filter((column) => wanted.has(column))];
}

/**
 * The select list of a page's rows (`alias`'s columns read, see readColumns). Named, never `*`:
 * statements are prepared, and a column added to the table while they are must not change what
 * they return.
 */
function columnsSql(alias: string, columns: readonly OptionalColumn[] = OPTIONAL_COLUMNS): Prisma.Sql {
  return columnList(alias, columns);
}

const columnList = builtOnce((alias: string, columns: readonly OptionalColumn[]) => readColumns(columns).map((column) => `${alias}."${column}"`).join(', '));

/** A row of nothing but NULLs as wide as columnsSql's, where a statement's answer carries a figure instead of an item. */
const noColumns = builtOnce((columns: readonly OptionalColumn[]) => readColumns(columns).map(() => 'NULL').join(', '));

/** How each column of an item comes back inside a JSON value (json-columns.ts). */
const jsonTypeOf = (column: string): JsonColumnType =>
  column === 'id' || column === 'sessionPk' || column === 'parentId' ? 'bigint' : column === 'createdAt' || column === 'updatedAt' ? 'date' : 'value';

/**
 * The sources of the message `alias` as one JSON array, in key order, each `source` (the expression
 * of one as JSON, over the source's row `s`); null for a message citing none. They are looked up
 * only for the messages whose row says their sources take any bytes (`sourcesBytes`).
 *
 * Aggregated from a subquery sorted by position rather than with `json_agg(… ORDER BY s.seq)`:
 * PostgreSQL runs an aggregate's own ORDER BY as a sort on every call, one per message, while the
 * subquery's order comes from the (parentId, seq) index scan with no sort, and an aggregate over a
 * sorted subquery takes its rows in that order (the alternative PostgreSQL's manual gives to an
 * ordered aggregate; test/source-order.test.ts holds it with index scans off).
 *
 * The text of a fragment, for builtOnce: each reader keeps its own, built once.
 */
export function citedSourcesSql(alias: string, source: string): string {
  return `CASE WHEN ${alias}."sourcesBytes" > 0 THEN (SELECT json_agg(q.source) FROM (
    SELECT ${source} AS source FROM timeline_item s WHERE s."parentId" = ${alias}.id ORDER BY s.seq
  ) q) END`;
}

/** The columns of an item read as `columns` (readColumns), typed as they come back inside a JSON value. */
const itemJsonColumns = keptOnce((columns: readonly OptionalColumn[]): JsonColumns => readColumns(columns).map((column) => [column, jsonTypeOf(column)] as const));

/** The sources of the message `alias` (citedSourcesSql), each an item as one JSON value of the columns read (readColumns'). */
const citedItemsSql = builtOnce((alias: string, columns: readonly OptionalColumn[]) => citedSourcesSql(alias, jsonValuesSql('s', itemJsonColumns(columns))));

/**
 * What a row of a page is taken to hold in memory: a fixed share for the object and its small
 * fields, plus the stored bytes of each text and JSON column read (PostgreSQL knows them without
 * reading a value out of its TOAST storage). An int: a row PostgreSQL can send is under 1 GB, and
 * a sum of ints is a bigint where a sum of bigints would be a slower numeric.
 */
const ROW_OVERHEAD_BYTES = 300;
const SIZED_COLUMNS = ['messageId', 'role', 'sourceKey', 'url', 'title', 'accountSid', 'identity', 'assistantId', 'text', 'content', 'meta', 'toolName'] as const;

/** The columns rowBytesSql sizes as a record's column list (`json_to_recordset(…) AS s(…)`): rows not yet stored, sized as they will be. */
export const SIZED_COLUMNS_RECORD = Prisma.raw(SIZED_COLUMNS.map((column) => `"${column}" ${column === 'content' || column === 'meta' ? 'json' : 'text'}`).join(', '));

export function rowBytesSql(alias: string, columns: readonly OptionalColumn[] = OPTIONAL_COLUMNS): Prisma.Sql {
  return rowBytes(alias, columns);
}

const rowBytes = builtOnce((alias: string, columns: readonly OptionalColumn[]) => {
  const read = new Set<string>(readColumns(columns));
  const sizes = SIZED_COLUMNS.filter((column) => read.has(column)).map((column) => `coalesce(octet_length(${alias}."${column}"::text), 0)`);
  return `(${[ROW_OVERHEAD_BYTES, ...sizes].join(' + ')})::int`;
});

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
  /** The optional columns the reader needs of the sources cited; `columns` when left out. */
  sourceColumns?: readonly OptionalColumn[];
  /** Whether the sources of the messages on the page are read with it; they are unless this is false. */
  sources?: boolean;
}


/** The conditions a filter sets, each named: a null kinds, roles or date, like an undefined one, sets none. */
function filterConditions({ kinds, roles, createdAfter, createdBefore, identity }: TimelineFilter): [name: string, condition: Prisma.Sql][] {
  const conditions: [string, Prisma.Sql][] = [];
  if (kinds) conditions.push(['kinds', Prisma.sql`AND i.kind::text = ANY(${[...kinds]}::text[])`]);
  if (roles) conditions.push(['roles', Prisma.sql`AND i.role = ANY(${[...roles]}::text[])`]);
  if (createdAfter) conditions.push(['after', Prisma.sql`AND i."createdAt" > ${createdAfter}`]);
  if (createdBefore) conditions.push(['before', Prisma.sql`AND i."createdAt" < ${createdBefore}`]);
  if (identity !== undefined) conditions.push(['identity', Prisma.sql`AND ${carriesIdentitySql('i', identity)}`]);
  return conditions;
}

function filterSql(filter: TimelineFilter): Prisma.Sql {
  return conditionsSql(filterConditions(filter));
}

function conditionsSql(conditions: readonly [string, Prisma.Sql][]): Prisma.Sql {
  return conditions.length ? Prisma.join(conditions.map(([, condition]) => condition), ' ') : Prisma.empty;
}

function filterKey(filter: TimelineFilter): string {
  return JSON.stringify([filter.kinds, filter.roles, filter.createdAfter, filter.createdBefore, filter.identity]);
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

/** readWindows' statement texts, by their shape. */
const windowStatementText = keptStatementTexts();

/**
 * loadTimelineWindows' reader. With a `lookup`, the one window is that session's (its `sessionPk`
 * unused): a first CTE finds the session, the window is read on it, and a row more carries the
 * session (as JSON, its columns not being an item's).
 *
 * Each item's row carries its sources as one JSON array (`cited`, citedSourcesSql's). They are
 * sized by the figure their message's row keeps (`sourcesBytes`, what they take with every column
 * read), so sizing them looks nothing up, and they are read only for the items the budget keeps and
 * that cite any: built for every item read, a page of large sources cut short by the budget would
 * have PostgreSQL copy all of them for nothing, and a look-up per message costs about what the rest
 * of the page does.
 *
 * A statement of one window sizes its items as its index scan hands them over, in order, so
 * nothing is sorted; one of several sorts them by window for the running sum across windows. What
 * the budget cuts from each window is summed up in one row per window.
 *
 * A page of a session looked up that is known to fit needs none of that: its session's largest
 * item (`maxItemBytes`, kept by a trigger on every write of items) times the page's size is within
 * what is left of the budget. Its items are then read as they are scanned, each saying what it
 * takes (`heldBytes`), and the sized branch finds no window to read. Which branch reads is decided
 * in the statement, on the session's row, so the page still costs one round trip; a session whose
 * figure is not known (null) reads as any page does.
 */
async function readWindows(
  prisma: PrismaClient,
  windows: readonly TimelineWindow[],
  budget: ReadBudget,
  lookup?: SessionLookup,
): Promise<{ pages: WindowRows[]; session: FoundSession | null }> {
  let session: FoundSession | null = null;
  const pages: WindowRows[] = windows.map(() => ({ items: [], sourcesOf: new Map(), bytes: 0, complete: true }));
  const groups = groupBy(windows, (w) => `${w.limit}:${w.newestFirst}:${filterKey(w.filter)}:${w.columns ?? 'all'}:${w.sourceColumns ?? 'same'}:${w.sources !== false}`);
  for (const indexes of groups.values()) {
    const first = windows[indexes[0]!]!;
    const direction = first.newestFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`;
    const withSources = first.sources !== false;
    const conditions = filterConditions(first.filter);
    const filtered = conditionsSql(conditions);
    const columns = first.columns ?? OPTIONAL_COLUMNS;
    const sourceColumns = first.sourceColumns ?? columns;
    // An item of a citedItemsSql array (parsed), as a row of it would be.
    const citedItem = withSources ? (fromJsonValues(itemJsonColumns(sourceColumns)) as unknown as (values: readonly unknown[]) => TimelineItem) : undefined;
    const oneWindow = indexes.length === 1;
    const sized = (over: Prisma.Sql) => Prisma.sql`sum(item_bytes) OVER (ORDER BY ${over}) AS running_bytes, row_number() OVER (ORDER BY ${over}) AS nth`;
    const unfound = lookup ? Prisma.sql`, NULL::json AS session` : Prisma.empty;
    const itemBytes = Prisma.sql`${rowBytesSql('i', columns)} ${withSources ? Prisma.sql`+ i."sourcesBytes"` : Prisma.empty}`;
    const scan = (sessionPk: Prisma.Sql, afterSeq: Prisma.Sql, beforeSeq: Prisma.Sql) => Prisma.sql`
            SELECT ${columnsSql('i', columns)}, i."sourcesBytes" FROM timeline_item i
            WHERE i."sessionPk" = ${sessionPk} AND i.seq > ${afterSeq} AND i.seq < ${beforeSeq}
            ${filtered}
            ORDER BY i.seq ${direction}
            LIMIT ${first.limit}`;
    const cited = (alias: string) => (withSources ? citedItemsSql(alias, sourceColumns) : Prisma.sql`NULL::json`);
    // Everything the statement's text depends on (of the filter, which conditions it sets); its values are the request's.
    const shape = `${lookup ? 'found' : 'windows'}:${oneWindow}:${first.newestFirst}:${withSources}:${columns}:${sourceColumns}:${conditions.map(([name]) => name).join('+')}`;
    const rows = await prisma.$readRows<TimelineItem & { windowIndex: number; cited: unknown[][] | null; windowBytes: number | null; heldBytes: number | null; cut: boolean | null; session?: unknown[] | null }>(windowStatementText(shape, Prisma.sql`
      WITH ${lookup
        ? Prisma.sql`found AS (
        SELECT found.id, ${foundSessionJsonSql('found', 'a."assistantId"')} AS session,
               found."maxItemBytes"::bigint * ${first.limit} <= ${budget.remaining} AS fits
        FROM session found LEFT JOIN assistant a ON a.id = found."assistantPk" AND a."accountSid" = found."accountSid"
        WHERE ${sessionMatchSql('found', lookup.accountSid, lookup.idOrName)}
      ),`
        : Prisma.empty}
      scanned AS (
        SELECT w.window_index AS "windowIndex", i.* FROM ${lookup
          ? Prisma.sql`(SELECT 0, found.id, ${first.afterSeq ?? 0}::int, ${first.beforeSeq ?? MAX_TIMELINE_POSITION}::int FROM found WHERE found.fits IS NOT TRUE)`
          : Prisma.sql`unnest(
          ${indexes}::int[],
          ${indexes.map((n) => windows[n]!.sessionPk)}::bigint[],
          ${indexes.map((n) => windows[n]!.afterSeq ?? 0)}::int[],
          ${indexes.map((n) => windows[n]!.beforeSeq ?? MAX_TIMELINE_POSITION)}::int[]
        )`} AS w(window_index, session_pk, after_seq, before_seq)
        CROSS JOIN LATERAL (
          SELECT i.*, b.item_bytes ${oneWindow ? Prisma.sql`, ${sized(Prisma.sql`i.seq ${direction}`)}` : Prisma.empty} FROM (${scan(Prisma.sql`w.session_pk`, Prisma.sql`w.after_seq`, Prisma.sql`w.before_seq`)}
          ) i
          CROSS JOIN LATERAL (SELECT ${itemBytes} AS item_bytes) b
        ) i
      ),
      sized AS (
        SELECT ranked.*, (running_bytes <= ${budget.remaining} OR (nth = 1 AND ${budget.held === 0}::boolean)) AS kept
        FROM ${oneWindow ? Prisma.sql`scanned` : Prisma.sql`(SELECT scanned.*, ${sized(Prisma.sql`"windowIndex", seq ${direction}`)} FROM scanned)`} ranked
      )
      ${lookup
        ? Prisma.sql`SELECT ${columnsSql('i', columns)}, 0 AS "windowIndex", ${cited('i')} AS cited, NULL::float8 AS "windowBytes", (${itemBytes})::float8 AS "heldBytes", NULL::boolean AS cut ${unfound}
      FROM found CROSS JOIN LATERAL (${scan(Prisma.sql`found.id`, Prisma.sql`${first.afterSeq ?? 0}::int`, Prisma.sql`${first.beforeSeq ?? MAX_TIMELINE_POSITION}::int`)}
      ) i WHERE found.fits
      UNION ALL`
        : Prisma.empty}
      SELECT ${columnsSql('sized', columns)}, "windowIndex", ${cited('sized')} AS cited, NULL::float8 AS "windowBytes", NULL::float8 AS "heldBytes", NULL::boolean AS cut ${unfound} FROM sized WHERE kept
      UNION ALL
      SELECT ${noColumns(columns)}, "windowIndex", NULL, sum(item_bytes)::float8, coalesce(sum(item_bytes) FILTER (WHERE kept), 0)::float8, bool_or(NOT kept) ${unfound} FROM sized GROUP BY "windowIndex"
      ${lookup
        ? Prisma.sql`UNION ALL
      SELECT ${noColumns(columns)}, 0, NULL, NULL, NULL, false, found.session FROM found`
        : Prisma.empty}`));
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
      // An item of a page known to fit (the session's largest item times the page's size): it says what it takes.
      if (row.heldBytes !== null) {
        page.bytes += row.heldBytes;
        budget.held += row.heldBytes;
      }
      page.items.push(row);
      if (withSources && (row.kind === 'CHAT_MESSAGE' || row.kind === 'KNOWLEDGE_CALL')) page.sourcesOf.set(row.id, row.cited ? row.cited.map(citedItem!) : []);
    }
  }
  windows.forEach((window, n) => pages[n]!.items.sort((a, b) => (window.newestFirst ? b.seq - a.seq : a.seq - b.seq)));
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
