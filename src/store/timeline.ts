import { Prisma, type ItemKind, type TimelineItem } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { GatewayError } from '../errors.js';
import { MAX_TIMELINE_POSITION } from './keyset-cursor.js';

export type { ItemKind, TimelineItem };

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
 * reader names the ones it reads: the models (ANALYTICS_COLUMNS, TWILIO_COLUMNS), and GraphQL from
 * the fields a document names (timeline-columns.ts).
 * Every other column a surface shows is always read; `fingerprint` (only appends compare it) never.
 */
export const OPTIONAL_COLUMNS = ['accountSid', 'origin', 'identity', 'assistantId', 'content', 'meta', 'toolName', 'updatedAt'] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

const ALWAYS_READ = ['id', 'sessionPk', 'seq', 'kind', 'messageId', 'role', 'text', 'confidence', 'parentId', 'sourceKey', 'url', 'score', 'title', 'createdAt'];
const NULL_OF: Record<OptionalColumn, string> = {
  accountSid: 'NULL::text',
  origin: 'NULL::"Origin"',
  identity: 'NULL::text',
  assistantId: 'NULL::text',
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

/** A page of a timeline, with the sources of the messages on it. */
export interface TimelinePage {
  items: TimelineItem[];
  /** For every chat message and knowledge call on the page, its sources in key order (maybe none). */
  sourcesOf: Map<bigint, TimelineItem[]>;
}

/**
 * Reads windows of sessions' timelines, each with the sources of the messages on it: the one page
 * reader behind every surface. Page n of the answer is window n's, rows being handed back by the
 * window that asked for them, so two windows on one session (aliased pages) each get their own.
 * One statement per distinct (size, direction, filter, columns): a LATERAL keyset scan per window over the
 * (sessionPk, seq) index, so twenty windows cost what one does and a deep page what the first one
 * does. Prisma's `cursor` + `skip` would compile to a sub-select per page instead. Linear in the
 * rows read, which come straight from the driver (see rows.ts).
 */
export async function loadTimelineWindows(prisma: PrismaClient, windows: readonly TimelineWindow[]): Promise<TimelinePage[]> {
  const pages: TimelinePage[] = windows.map(() => ({ items: [], sourcesOf: new Map() }));
  const groups = groupBy(windows, (w) => `${w.limit}:${w.newestFirst}:${filterKey(w.filter)}:${w.columns ?? 'all'}`);
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const first = windows[indexes[0]!]!;
      const rows = await prisma.$readRows<TimelineItem & { windowIndex: number; cited: boolean }>(Prisma.sql`
        WITH page AS (
          SELECT w.window_index AS "windowIndex", ${columnsSql('i', first.columns)} FROM unnest(
            ${indexes}::int[],
            ${indexes.map((n) => windows[n]!.sessionPk)}::bigint[],
            ${indexes.map((n) => windows[n]!.afterSeq ?? 0)}::int[],
            ${indexes.map((n) => windows[n]!.beforeSeq ?? MAX_TIMELINE_POSITION)}::int[]
          ) AS w(window_index, session_pk, after_seq, before_seq)
          CROSS JOIN LATERAL (
            SELECT * FROM timeline_item i
            WHERE i."sessionPk" = w.session_pk AND i.seq > w.after_seq AND i.seq < w.before_seq
            ${filterSql(first.filter)}
            ORDER BY i.seq ${first.newestFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`}
            LIMIT ${first.limit}
          ) i
        )
        SELECT page.*, false AS cited FROM page
        UNION ALL
        SELECT page."windowIndex", ${columnsSql('s', first.columns)}, true AS cited FROM page JOIN timeline_item s ON s."parentId" = page.id
        WHERE page.kind IN ('CHAT_MESSAGE', 'KNOWLEDGE_CALL')`);
      // The rows are handed on as they came, windowIndex and cited included: a copy of each would cost more than the rest of the loop.
      for (const row of rows) {
        const page = pages[row.windowIndex]!;
        if (!row.cited) {
          page.items.push(row);
          if ((row.kind === 'CHAT_MESSAGE' || row.kind === 'KNOWLEDGE_CALL') && !page.sourcesOf.has(row.id)) page.sourcesOf.set(row.id, []);
          continue;
        }
        const sources = page.sourcesOf.get(row.parentId!);
        if (sources) sources.push(row);
        else page.sourcesOf.set(row.parentId!, [row]);
      }
    }),
  );
  windows.forEach((window, n) => {
    pages[n]!.items.sort((a, b) => (window.newestFirst ? b.seq - a.seq : a.seq - b.seq));
    for (const sources of pages[n]!.sourcesOf.values()) sources.sort((a, b) => a.seq - b.seq);
  });
  return pages;
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

/** The sources of each message, in key order; one statement for all of them. */
export async function loadSourcesOf(prisma: PrismaClient, accountSid: string, messageIds: readonly bigint[]): Promise<TimelineItem[][]> {
  // A fixed-shape statement: Prisma would compile a new plan for every length of the id list.
  const sources = await prisma.$readRows<TimelineItem>(Prisma.sql`
    SELECT ${columnsSql('timeline_item')} FROM timeline_item WHERE "parentId" = ANY(${[...messageIds]}::bigint[]) AND "accountSid" = ${accountSid} ORDER BY seq`);
  const byParent = new Map(messageIds.map((id) => [id, [] as TimelineItem[]]));
  for (const source of sources) byParent.get(source.parentId!)?.push(source);
  return messageIds.map((id) => byParent.get(id)!);
}

/** Timeline items by id, of the account only. */
export async function loadItemsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<(TimelineItem | GatewayError)[]> {
  const items = await prisma.timelineItem.findMany({ where: { accountSid, id: { in: [...ids] } } });
  const byId = new Map(items.map((item) => [item.id, item]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No timeline item ${id}`));
}
