import type { SealingKey } from './sealing.js';
import { Prisma } from './generated/prisma/client.js';
import type { PrismaClient } from './rows.js';
import { readBudgetExceeded, type ReadBudget } from './read-budget.js';
import { rowBytesSql, type TimelineFilter, type TimelineItem } from './timeline.js';
import { listPosition, listCursor, listBinding } from './cursors.js';
import { keysetPage, keysetWindow, type KeysetWindow, type Page, type PageRequest } from './pages.js';
import { GatewayError } from '../errors.js';
import { checkText } from '../models/validation.js';

/** The longest search query taken, in characters: what people type is far shorter, and each word costs an index lookup. */
export const MAX_SEARCH_QUERY_LENGTH = 256;

/**
 * A query as people type it: words, "a quoted phrase", -word to leave out, `or`. Parsed by
 * PostgreSQL's websearch_to_tsquery, which never fails on syntax: stray quotes, operators and
 * punctuation are taken as spaces. Refused here when it is empty or too long, and (by
 * requireSearchWords) when nothing of it is searchable, only stop words ("the", "of").
 */
export function checkSearchQuery(query: string, field: string): string {
  checkText(query, field);
  const trimmed = query.trim();
  if (!trimmed) throw new GatewayError('invalid_argument', `${field}: must hold at least one word to search for`);
  if ([...trimmed].length > MAX_SEARCH_QUERY_LENGTH) {
    throw new GatewayError('invalid_argument', `${field}: at most ${MAX_SEARCH_QUERY_LENGTH} characters, got ${[...trimmed].length}`);
  }
  return trimmed;
}

/** The search document's vector of the timeline item `alias`: the expression the GIN index is built on (see the migrations). */
function searchVectorSql(alias: string): Prisma.Sql {
  return Prisma.raw(`to_tsvector('english'::regconfig, timeline_item_search_text(${alias}.kind, ${alias}.text, ${alias}.title, ${alias}.content))`);
}

function tsQuerySql(query: string): Prisma.Sql {
  return Prisma.sql`websearch_to_tsquery('english', ${query})`;
}

/**
 * The condition "item `alias` matches the query" (a checked one, see checkSearchQuery). A query the
 * index cannot serve (querytree 'T': only words left out, "-fee" or "refund or -fee") would match
 * nearly every item by reading each one's text: it matches none here, and requireSearchWords says why.
 */
export function searchMatchSql(alias: string, query: string): Prisma.Sql {
  return Prisma.sql`(${searchVectorSql(alias)} @@ ${tsQuerySql(query)} AND querytree(${tsQuerySql(query)}) <> 'T')`;
}

/**
 * Refuses a query that searches for nothing (only stop words, or only punctuation) or for nothing
 * in particular (only words left out), which would otherwise find nothing and say nothing about
 * why. Asked only once a page came back empty.
 */
export async function requireSearchWords(prisma: PrismaClient, query: string, field: string): Promise<void> {
  const [{ nodes, indexed }] = await prisma.$readRows<{ nodes: number; indexed: boolean }>(
    Prisma.sql`SELECT numnode(${tsQuerySql(query)}) AS nodes, querytree(${tsQuerySql(query)}) <> 'T' AS indexed`,
  );
  if (!nodes) {
    throw new GatewayError('invalid_argument', `${field}: "${query}" has no word to search for (words such as "the" or "of" are left out)`);
  }
  if (!indexed) {
    throw new GatewayError('invalid_argument', `${field}: "${query}" has no word to find, only words to leave out: name at least one word every match must hold`);
  }
}

export interface SearchList {
  accountSid: string;
  /** Seals the list's cursors (see cursors.ts). */
  sealingKey: SealingKey;
  /** A checked query (see checkSearchQuery). */
  query: string;
  /** Only items of the session with this id, or failing that this name. */
  session?: string;
  filter: TimelineFilter;
}

export interface SearchHit {
  item: TimelineItem;
  /** PostgreSQL's ts_rank: higher is a better match. */
  score: number;
  /** Plain text around the match, the matched words between « and » (any « » of the text itself shown as ‹ ›). */
  snippet: string;
}

// Named, not `*`: the statement is prepared, and a column added later must not change what it returns.
const ITEM_COLUMNS = Prisma.raw(
  Object.values(Prisma.TimelineItemScalarFieldEnum)
    .filter((column) => column !== 'fingerprint')
    .map((column) => `i."${column}"`)
    .join(', '),
);

const HEADLINE_OPTIONS = 'StartSel=«, StopSel=», MaxWords=35, MinWords=15';

function binding(list: SearchList): string {
  return listBinding('search', list.accountSid, list.query, list.session ?? null, list.filter);
}

/** A hit's cursor: its score and id (best first, then oldest item first). */
function searchCursor(list: SearchList, hit: SearchHit): string {
  return listCursor(list.sealingKey, binding(list), [hit.score, String(hit.item.id)]);
}

function conditionsSql(list: SearchList): Prisma.Sql {
  const { kinds, roles, createdAfter, createdBefore } = list.filter;
  const conditions = [Prisma.sql`i."accountSid" = ${list.accountSid}`, searchMatchSql('i', list.query)];
  if (list.session !== undefined) {
    // The session's id before another's name, as findSession has it.
    conditions.push(Prisma.sql`i."sessionPk" = (
      SELECT id FROM session WHERE "accountSid" = ${list.accountSid} AND ("sessionId" = ${list.session} OR name = ${list.session})
      ORDER BY "sessionId" = ${list.session} DESC LIMIT 1)`);
  }
  if (kinds) conditions.push(Prisma.sql`i.kind::text = ANY(${[...kinds]}::text[])`);
  if (roles) conditions.push(Prisma.sql`i.role = ANY(${[...roles]}::text[])`);
  if (createdAfter) conditions.push(Prisma.sql`i."createdAt" > ${createdAfter}`);
  if (createdBefore) conditions.push(Prisma.sql`i."createdAt" < ${createdBefore}`);
  return Prisma.join(conditions, ' AND ');
}

function positionOf(cursor: string, list: SearchList): { score: number; id: string } {
  const [score, id] = listPosition(list.sealingKey, cursor, binding(list), ['number', 'string']) as [number, string];
  if (!/^\d{1,19}$/.test(id)) throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out`);
  return { score, id };
}

/**
 * One page of a search's hits strictly between two cursors, best first (worst first when reading
 * backwards). The order is (score descending, id): a score is computed from the item and the query
 * alone, so it is the same on every page and each hit comes once. Matches are found through the
 * GIN index; only the page's hits get a snippet.
 *
 * Every column of a hit is read (it is shown as a Message), so the page is charged to `budget` like
 * any other read of the request: the rows that fit come back, and a page that would go past it is
 * refused (LIMIT_EXCEEDED with both figures), holding at most its first hit past the budget
 * (one item is bounded by MAX_MESSAGE_BYTES), as loadItemsById does.
 */
async function loadSearchWindow(prisma: PrismaClient, list: SearchList, window: KeysetWindow, budget: ReadBudget): Promise<SearchHit[]> {
  const bounds: Prisma.Sql[] = [];
  if (window.after) {
    const { score, id } = positionOf(window.after, list);
    bounds.push(Prisma.sql`AND (hit.score < ${score}::float8 OR (hit.score = ${score}::float8 AND hit.id > ${id}::bigint))`);
  }
  if (window.before) {
    const { score, id } = positionOf(window.before, list);
    bounds.push(Prisma.sql`AND (hit.score > ${score}::float8 OR (hit.score = ${score}::float8 AND hit.id < ${id}::bigint))`);
  }
  const order = window.newestFirst ? Prisma.sql`hit.score ASC, hit.id DESC` : Prisma.sql`hit.score DESC, hit.id ASC`;
  const pageOrder = Prisma.raw(window.newestFirst ? 'page.score ASC, page.id DESC' : 'page.score DESC, page.id ASC');
  const rows = await prisma.$readRows<TimelineItem & { hitScore: number; snippet: string; totalBytes: number }>(Prisma.sql`
    WITH hit AS (
      SELECT i.id, ts_rank(${searchVectorSql('i')}, ${tsQuerySql(list.query)})::float8 AS score
      FROM timeline_item i WHERE ${conditionsSql(list)}
    ), page AS (
      SELECT hit.id, hit.score FROM hit WHERE true ${bounds.length ? Prisma.join(bounds, ' ') : Prisma.empty} ORDER BY ${order} LIMIT ${window.limit}
    ), sized AS (
      SELECT page.id, page.score, sum(${rowBytesSql('i')}) OVER (ORDER BY ${pageOrder} ROWS UNBOUNDED PRECEDING) AS running_bytes,
             sum(${rowBytesSql('i')}) OVER ()::float8 AS total_bytes, row_number() OVER (ORDER BY ${pageOrder}) AS nth
      FROM page JOIN timeline_item i ON i.id = page.id
    )
    SELECT ${ITEM_COLUMNS}, page.score AS "hitScore", page.total_bytes AS "totalBytes",
           ts_headline('english', translate(timeline_item_search_text(i.kind, i.text, i.title, i.content), '«»', '‹›'),
                       ${tsQuerySql(list.query)}, ${HEADLINE_OPTIONS}) AS snippet
    FROM sized page JOIN timeline_item i ON i.id = page.id
    WHERE page.running_bytes <= ${budget.remaining} OR page.nth = 1
    ORDER BY ${pageOrder}`);
  const totalBytes = rows[0]?.totalBytes ?? 0;
  if (totalBytes > budget.remaining) throw readBudgetExceeded(budget.held + totalBytes, budget);
  budget.held += totalBytes;
  if (!rows.length && !window.after && !window.before) await requireSearchWords(prisma, list.query, 'query');
  return rows.map(({ hitScore, snippet, totalBytes: _bytes, ...item }) => ({ item: item as TimelineItem, score: hitScore, snippet }));
}

/** The page of a search's hits a request asks for, within `budget`. */
export async function readSearchPage(prisma: PrismaClient, list: SearchList, request: PageRequest, budget: ReadBudget): Promise<Page<SearchHit>> {
  const window = keysetWindow(request);
  return keysetPage(window, await loadSearchWindow(prisma, list, window, budget), (hit) => searchCursor(list, hit));
}

/** How many items match the search. */
export async function countSearchHits(prisma: PrismaClient, list: SearchList): Promise<number> {
  const [{ count }] = await prisma.$readRows<{ count: number }>(Prisma.sql`SELECT count(*)::int AS count FROM timeline_item i WHERE ${conditionsSql(list)}`);
  return count;
}
