import type { SealingKey } from './sealing.js';
import { Prisma } from './generated/prisma/client.js';
import type { PrismaClient } from './rows.js';
import { listPosition, listCursor, listBinding } from './cursors.js';
import { keysetPage, keysetWindow, type KeysetWindow, type Page, type PageRequest } from './pages.js';
import { identitySessionsSql } from './identity-data.js';
import { checkSearchQuery, requireSearchWords, searchMatchSql } from './search.js';
import { SESSION_COLUMNS, type Session } from './sessions.js';
import { GatewayError } from '../errors.js';
import { checkId } from '../models/validation.js';

/** Narrows an account's session list; every condition is optional and they combine with AND. */
export interface SessionFilter {
  identity?: string;
  /** Sessions holding something of this identity: its own, and those with an item carrying it (see identity-data.ts). */
  holdingIdentity?: string;
  /** The assistant's own id, "aia_asst_…". */
  assistantId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Sessions whose latest item is after (before) this; a session with no item has none, and is left out. */
  lastMessageAfter?: Date;
  lastMessageBefore?: Date;
  /** Sessions with at least one item matching this full-text query (a checked one, see checkSearchQuery). */
  text?: string;
}

export type SessionOrder = 'CREATED_AT_ASC' | 'CREATED_AT_DESC' | 'LAST_MESSAGE_AT_ASC' | 'LAST_MESSAGE_AT_DESC';

/** The filter as the store runs it: ids it could hold checked, the text query trimmed (see checkSearchQuery). */
export function checkSessionFilter(filter: SessionFilter): SessionFilter {
  checkId(filter.identity, 'filter.identity');
  checkId(filter.assistantId, 'filter.assistantId');
  return filter.text === undefined ? filter : { ...filter, text: checkSearchQuery(filter.text, 'filter.text') };
}

/** One list of sessions: whose, which, in what order. Its cursors are bound to all three. */
export interface SessionList {
  accountSid: string;
  /** Seals the list's cursors (see cursors.ts). */
  sealingKey: SealingKey;
  filter: SessionFilter;
  order: SessionOrder;
}

/**
 * The time a list orders a session by: its creation, or its last activity (the latest item's time;
 * its creation while it has none, so an empty session has a place too). Each has an index on
 * ("accountSid", key, id).
 */
function orderKeySql(order: SessionOrder): Prisma.Sql {
  return order.startsWith('CREATED_AT') ? Prisma.raw('s."createdAt"') : Prisma.raw('COALESCE(s."lastMessageAt", s."createdAt")');
}

function orderKeyOf(order: SessionOrder, session: Session): Date {
  return order.startsWith('CREATED_AT') ? session.createdAt : (session.lastMessageAt ?? session.createdAt);
}

function binding(list: SessionList): string {
  return listBinding('sessions', list.accountSid, list.order, list.filter);
}

/** A session's cursor in a list: its order key (milliseconds, as stored) and id. */
function sessionCursor(list: SessionList, session: Session): string {
  return listCursor(list.sealingKey, binding(list), [orderKeyOf(list.order, session).getTime(), String(session.id)]);
}

function positionOf(cursor: string, list: SessionList): { key: Date; id: string } {
  const [millis, id] = listPosition(list.sealingKey, cursor, binding(list), ['number', 'string']) as [number, string];
  const key = new Date(millis);
  if (!/^\d{1,19}$/.test(id) || Number.isNaN(key.getTime())) throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out`);
  return { key, id };
}

function filterSql({ accountSid, filter }: SessionList): Prisma.Sql {
  const conditions = [Prisma.sql`s."accountSid" = ${accountSid}`];
  if (filter.identity !== undefined) conditions.push(Prisma.sql`s.identity = ${filter.identity}`);
  if (filter.holdingIdentity !== undefined) conditions.push(identitySessionsSql('s', accountSid, filter.holdingIdentity));
  if (filter.assistantId !== undefined) {
    conditions.push(Prisma.sql`s."assistantPk" = (SELECT id FROM assistant WHERE "accountSid" = ${accountSid} AND "assistantId" = ${filter.assistantId})`);
  }
  if (filter.createdAfter) conditions.push(Prisma.sql`s."createdAt" > ${filter.createdAfter}`);
  if (filter.createdBefore) conditions.push(Prisma.sql`s."createdAt" < ${filter.createdBefore}`);
  // Each bound on the last message is also put on the last activity it implies (the session has
  // one, so the two are equal): that is the index's key, where the scan starts or stops, rather
  // than a filter on every session of the account read past.
  if (filter.lastMessageAfter) {
    conditions.push(Prisma.sql`s."lastMessageAt" > ${filter.lastMessageAfter} AND COALESCE(s."lastMessageAt", s."createdAt") > ${filter.lastMessageAfter}`);
  }
  if (filter.lastMessageBefore) {
    conditions.push(Prisma.sql`s."lastMessageAt" < ${filter.lastMessageBefore} AND COALESCE(s."lastMessageAt", s."createdAt") < ${filter.lastMessageBefore}`);
  }
  if (filter.text !== undefined) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM timeline_item i WHERE i."sessionPk" = s.id AND i."accountSid" = ${accountSid} AND ${searchMatchSql('i', filter.text)})`);
  }
  return Prisma.join(conditions, ' AND ');
}

/**
 * One page of a session list strictly between two cursors, nearest first (reading backwards, the
 * list's order reversed). A keyset on (order key, id): a page starts right after the last session
 * the previous one showed, whatever was created or appended meanwhile, so a session keeps its
 * place until it gets a new message, and then takes its new one (showing again if that lies
 * ahead). One statement, through the order's index.
 */
async function loadSessionWindow(prisma: PrismaClient, list: SessionList, window: KeysetWindow): Promise<Session[]> {
  const key = orderKeySql(list.order);
  const descending = list.order.endsWith('_DESC');
  const bounds: Prisma.Sql[] = [];
  for (const [cursor, side] of [[window.after, 'after'], [window.before, 'before']] as const) {
    if (!cursor) continue;
    const position = positionOf(cursor, list);
    // After a cursor means further along the list: a greater key ascending, a smaller one descending.
    const further = (side === 'after') !== descending ? Prisma.raw('>') : Prisma.raw('<');
    bounds.push(Prisma.sql`AND (${key}, s.id) ${further} (${position.key}::timestamptz, ${position.id}::bigint)`);
  }
  const direction = Prisma.raw(descending !== window.newestFirst ? 'DESC' : 'ASC');
  const sessions = await prisma.$readRows<Session>(Prisma.sql`
    SELECT ${SESSION_COLUMNS} FROM session s
    WHERE ${filterSql(list)} ${bounds.length ? Prisma.join(bounds, ' ') : Prisma.empty}
    ORDER BY ${key} ${direction}, s.id ${direction}
    LIMIT ${window.limit}`);
  if (!sessions.length && list.filter.text !== undefined && !window.after && !window.before) {
    await requireSearchWords(prisma, list.filter.text, 'filter.text');
  }
  return sessions;
}

/** The page of a session list a request asks for. */
export async function readSessionPage(prisma: PrismaClient, list: SessionList, request: PageRequest): Promise<Page<Session>> {
  const window = keysetWindow(request);
  return keysetPage(window, await loadSessionWindow(prisma, list, window), (session) => sessionCursor(list, session));
}

/** How many sessions the (filtered) list holds. */
export async function countSessionList(prisma: PrismaClient, list: SessionList): Promise<number> {
  const [{ count }] = await prisma.$readRows<{ count: number }>(Prisma.sql`SELECT count(*)::int AS count FROM session s WHERE ${filterSql(list)}`);
  return count;
}
