import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphql } from '../../graphql/documents/index.js';
import { MAX_PAGE_SIZE, type PageInfo, type PageRequest } from '../../store/pages.js';
import { loadAssistantsById } from '../../store/sessions.js';
import { readTimelinePage } from '../../store/timeline-pages.js';
import { TWILIO_COLUMNS, twilioDate, twilioMessageFromStore, type TwilioSessionContext } from '../../models/twilio-message.js';
import type { GatewayContext } from '../../graphql/context.js';
import { ReadBudget } from '../../store/read-budget.js';
import type { Caller } from '../../store/accounts.js';
import { executeDocument } from '../execute.js';
import { decodePathSegment, requestOrigin, sendJson } from '../http.js';
import type { PagingOriginSettings } from '../settings.js';
import { GatewayError } from '../../errors.js';
import { twilioNotFound } from './errors.js';
import { decodePageToken, encodePageToken } from './page-token.js';

const TwilioSessions = graphql(`
  query TwilioSessions($first: Int, $after: String, $last: Int, $before: String) {
    sessions(first: $first, after: $after, last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { ...TwilioSession } }
    }
  }
  fragment TwilioSession on Session { sessionId accountSid identity verified createdAt updatedAt assistant { assistantId } }
`);

const TwilioSessionById = graphql(`
  query TwilioSessionById($session: ID!) { session(id: $session) { ...TwilioSession } }
`);

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

function twilioSession(session: { sessionId: string; accountSid: string; identity?: string | null; verified: boolean; createdAt: string; updatedAt: string; assistant?: { assistantId: string } | null }) {
  return {
    id: session.sessionId,
    account_sid: session.accountSid,
    assistant_id: session.assistant?.assistantId ?? null,
    verified: session.verified,
    identity: session.identity ?? null,
    date_created: twilioDate(session.createdAt),
    date_updated: twilioDate(session.updatedAt),
  };
}

/**
 * A page of a session's messages (sources stand inside them, as Twilio shows them), read by the
 * store's page reader within MAX_READ_BYTES: a page of large messages holds fewer than PageSize,
 * and its next (or previous) page URL carries on from where it stopped.
 */
async function readMessagesPage({ prisma, account, sealingKey, maxReadBytes }: GatewayContext, sessionId: string, paging: Paging, path: string) {
  const page = await readTimelinePage(
    prisma,
    sealingKey,
    { accountSid: account.sid, session: sessionId, page: pageRequest(paging), filter: { kinds: MESSAGE_KINDS }, columns: TWILIO_COLUMNS },
    new ReadBudget(maxReadBytes),
  );
  if (!page) throw twilioNotFound(path);
  const { session } = page;
  const [assistant] = session.assistantPk === null ? [null] : await loadAssistantsById(prisma, account.sid, [session.assistantPk]);
  const sessionContext: TwilioSessionContext = {
    sessionId: session.sessionId,
    accountSid: session.accountSid,
    assistantId: assistant instanceof GatewayError ? null : (assistant?.assistantId ?? null),
    identity: session.identity,
  };
  const records = page.items.map((item) => twilioMessageFromStore(item, page.sourcesOf.get(item.id) ?? [], sessionContext));
  return { records, pageInfo: page.pageInfo };
}

const MESSAGE_KINDS = ['CHAT_MESSAGE', 'TOOL_CALL', 'KNOWLEDGE_CALL'] as const;

type Route = { kind: 'messages'; sessionId: string } | { kind: 'session'; sessionId: string } | { kind: 'sessions' };

/** Session ids may hold ":" and "/" (webhook:conversations__IS…/CH…), so the id is everything between the fixed parts. */
function matchRoute(path: string): Route | null {
  if (path === '/v1/Sessions') return { kind: 'sessions' };
  const messages = /^\/v1\/Sessions\/(.+)\/Messages$/.exec(path);
  const session = messages ? null : /^\/v1\/Sessions\/(.+)$/.exec(path);
  const sessionId = decodePathSegment((messages ?? session)?.[1] ?? '');
  if (!sessionId) return null;
  return messages ? { kind: 'messages', sessionId } : { kind: 'session', sessionId };
}

export interface TwilioRoutesOptions extends Omit<GatewayContext, 'account'> {
  pagingOrigin: PagingOriginSettings;
}

/**
 * The Twilio AI Assistants Conversation History API: messages through the store's page reader,
 * sessions over the GraphQL schema, for the account the boundary authenticated. What it throws,
 * the boundary answers in Twilio's error shape.
 */
export function createTwilioRoutes({ pagingOrigin, ...services }: TwilioRoutesOptions) {
  return async function serveTwilio(request: IncomingMessage, response: ServerResponse, url: URL, account: Caller): Promise<void> {
    const path = url.pathname;
    if (request.method !== 'GET') throw new GatewayError('method_not_allowed', `Method not allowed: ${request.method} ${path}`);
    const context: GatewayContext = { ...services, account };
    const route = matchRoute(path);
    if (!route) throw twilioNotFound(path);
    const listUrl = `${requestOrigin(request, pagingOrigin)}${path}`;

    if (route.kind === 'session') {
      const { session } = await executeDocument(context, TwilioSessionById, { session: route.sessionId });
      if (!session) throw twilioNotFound(path);
      return sendJson(response, 200, twilioSession(session));
    }

    const paging = parsePaging(url.searchParams);
    if (route.kind === 'sessions') {
      const { sessions } = await executeDocument(context, TwilioSessions, pageRequest(paging));
      const records = sessions.edges.map((edge) => twilioSession(edge.node));
      return sendJson(response, 200, twilioList('sessions', records, sessions.pageInfo, paging, listUrl));
    }

    const { records, pageInfo } = await readMessagesPage(context, route.sessionId, paging, path);
    sendJson(response, 200, twilioList('messages', records, pageInfo, paging, listUrl));
  };
}
