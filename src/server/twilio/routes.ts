import type { IncomingMessage, ServerResponse } from 'node:http';
import { TWILIO_COLUMNS, TWILIO_SOURCE_COLUMNS, twilioDate, twilioMessageFromStore } from '../../models/twilio-message.js';
import type { Caller } from '../../store/accounts.js';
import type { PrismaClient } from '../../store/database.js';
import { MAX_PAGE_SIZE, type PageInfo, type PageRequest } from '../../store/pages.js';
import { ReadBudget } from '../../store/read-budget.js';
import type { SealingKey } from '../../store/sealing.js';
import { readSessionPage } from '../../store/session-pages.js';
import { findSession, loadAssistantIdsOf, type Session } from '../../store/sessions.js';
import { readTimelinePage } from '../../store/timeline-pages.js';
import { MESSAGE_KINDS } from '../../store/timeline.js';
import { decodePathSegment, requestOrigin, sendJson } from '../http.js';
import type { PagingOriginSettings } from '../settings.js';
import { GatewayError } from '../../errors.js';
import { twilioNotFound } from './errors.js';
import { decodePageToken, encodePageToken } from './page-token.js';

interface Paging {
  pageSize: number;
  page: number;
  token: string | null;
}

function parseInteger(name: string, value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (number > max && name === 'PageSize') throw new GatewayError('limit_exceeded', `Page size too large: PageSize must be at most ${max}, got ${value}`);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new GatewayError('invalid_argument', `Invalid ${name}: expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

function parsePaging(query: URLSearchParams): Paging {
  return {
    pageSize: parseInteger('PageSize', query.get('PageSize'), 50, 1, MAX_PAGE_SIZE),
    page: parseInteger('Page', query.get('Page'), 0, 0, Number.MAX_SAFE_INTEGER),
    token: query.get('PageToken'),
  };
}

/** The store's page request for a Twilio page: the first page, or the page a PageToken points at. */
function pageRequest({ pageSize, token }: Paging): PageRequest {
  if (!token) return { first: pageSize };
  const position = decodePageToken(token);
  return 'after' in position ? { first: pageSize, after: position.after } : { last: pageSize, before: position.before };
}

/** Twilio's list body: the records under `key`, then `meta` with absolute paging URLs, keys in Twilio's order. */
function twilioList(key: string, records: unknown[], pageInfo: PageInfo, paging: Paging, listUrl: string) {
  const pageUrl = (page: number, token?: string) =>
    `${listUrl}?PageSize=${paging.pageSize}&Page=${page}${token ? `&PageToken=${encodeURIComponent(token)}` : ''}`;
  const firstPageUrl = pageUrl(0);
  const onFirstPage = !paging.token;
  let previousPageUrl: string | null = null;
  if (!onFirstPage) {
    previousPageUrl =
      paging.page > 1 && pageInfo.hasPreviousPage && pageInfo.startCursor
        ? pageUrl(paging.page - 1, encodePageToken({ before: pageInfo.startCursor }))
        : firstPageUrl;
  }
  return {
    [key]: records,
    meta: {
      page: paging.page,
      page_size: paging.pageSize,
      first_page_url: firstPageUrl,
      previous_page_url: previousPageUrl,
      url: paging.token ? pageUrl(paging.page, paging.token) : firstPageUrl,
      next_page_url:
        pageInfo.hasNextPage && pageInfo.endCursor ? pageUrl(paging.page + 1, encodePageToken({ after: pageInfo.endCursor })) : null,
      key,
    },
  };
}

function twilioSession(session: Session, assistantId: string | null) {
  return {
    id: session.sessionId,
    account_sid: session.accountSid,
    assistant_id: assistantId,
    verified: session.verified,
    identity: session.identity,
    date_created: twilioDate(session.createdAt),
    date_updated: twilioDate(session.updatedAt),
  };
}


/**
 * A page of a session's messages (sources stand inside them, as Twilio shows them), read by the
 * store's page reader within MAX_READ_BYTES: a page of large messages holds fewer than PageSize,
 * and its next (or previous) page URL carries on from where it stopped.
 */
async function readMessagesPage({ prisma, sealingKey, maxReadBytes }: TwilioRoutesOptions, accountSid: string, sessionId: string, paging: Paging, path: string) {
  const page = await readTimelinePage(
    prisma,
    sealingKey,
    { accountSid, session: sessionId, page: pageRequest(paging), filter: { kinds: MESSAGE_KINDS }, columns: TWILIO_COLUMNS, sourceColumns: TWILIO_SOURCE_COLUMNS },
    new ReadBudget(maxReadBytes),
  );
  if (!page) throw twilioNotFound(path);
  const { session } = page;
  const sessionContext = { sessionId: session.sessionId, accountSid: session.accountSid, assistantId: session.assistantId, identity: session.identity };
  const records = page.items.map((item) => twilioMessageFromStore(item, page.sourcesOf.get(item.id) ?? [], sessionContext));
  return { records, pageInfo: page.pageInfo };
}


type Route = { kind: 'messages'; sessionId: string } | { kind: 'session'; sessionId: string } | { kind: 'sessions' };

/** Each route as the API's documents write it (openapi.ts): what the request log names, never the id in the path. */
const ROUTE_TEMPLATES: Record<Route['kind'], string> = {
  sessions: '/v1/Sessions',
  session: '/v1/Sessions/{sessionId}',
  messages: '/v1/Sessions/{sessionId}/Messages',
};

/** Session ids may hold ":" and "/" (webhook:conversations__IS…/CH…), so the id is everything between the fixed parts. */
function matchRoute(path: string): Route | null {
  if (path === '/v1/Sessions') return { kind: 'sessions' };
  const messages = /^\/v1\/Sessions\/(.+)\/Messages$/.exec(path);
  const session = messages ? null : /^\/v1\/Sessions\/(.+)$/.exec(path);
  const sessionId = decodePathSegment((messages ?? session)?.[1] ?? '');
  if (!sessionId) return null;
  return messages ? { kind: 'messages', sessionId } : { kind: 'session', sessionId };
}

/** The route a path takes, its session id a placeholder (`/v1/Sessions/{sessionId}/Messages`), or null when it takes none. */
export function twilioRoute(path: string): string | null {
  const route = matchRoute(path);
  return route && ROUTE_TEMPLATES[route.kind];
}

export interface TwilioRoutesOptions {
  prisma: PrismaClient;
  /** Seals the PageTokens' cursors. */
  sealingKey: SealingKey;
  /** The bytes of rows one page may hold (MAX_READ_BYTES). */
  maxReadBytes: number;
  pagingOrigin: PagingOriginSettings;
}

/**
 * The Twilio AI Assistants Conversation History API over the store's session lookup and page
 * readers, for the account the boundary authenticated. What it throws, the boundary answers in
 * Twilio's error shape.
 */
export function createTwilioRoutes(options: TwilioRoutesOptions) {
  const { prisma, sealingKey, pagingOrigin } = options;
  return async function serveTwilio(request: IncomingMessage, response: ServerResponse, url: URL, account: Caller): Promise<void> {
    const path = url.pathname;
    if (request.method !== 'GET') throw new GatewayError('method_not_allowed', `Method not allowed: ${request.method} ${path}`);
    const route = matchRoute(path);
    if (!route) throw twilioNotFound(path);
    const listUrl = `${requestOrigin(request, pagingOrigin)}${path}`;

    if (route.kind === 'session') {
      const session = await findSession(prisma, account.sid, route.sessionId);
      if (!session) throw twilioNotFound(path);
      const [assistantId] = await loadAssistantIdsOf(prisma, account.sid, [session]);
      return sendJson(response, 200, twilioSession(session, assistantId!));
    }

    const paging = parsePaging(url.searchParams);
    if (route.kind === 'sessions') {
      // Twilio's list is every session of the account, oldest first.
      const page = await readSessionPage(prisma, { accountSid: account.sid, sealingKey, filter: {}, order: 'CREATED_AT_ASC' }, pageRequest(paging));
      const assistantIds = await loadAssistantIdsOf(prisma, account.sid, page.items);
      const records = page.items.map((session, n) => twilioSession(session, assistantIds[n]!));
      return sendJson(response, 200, twilioList('sessions', records, page.pageInfo, paging, listUrl));
    }

    const { records, pageInfo } = await readMessagesPage(options, account.sid, route.sessionId, paging, path);
    sendJson(response, 200, twilioList('messages', records, pageInfo, paging, listUrl));
  };
}
