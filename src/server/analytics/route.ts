import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../../store/accounts.js';
import { analyticsMessageFromStore, type AnalyticsMessage } from '../../models/analytics-message.js';
import { GatewayError } from '../../errors.js';
import type { PrismaClient } from '../../store/database.js';
import { ReadBudget } from '../../store/read-budget.js';
import { readChatMessagesPage } from '../../store/chat-message-pages.js';
import { decodePathSegment } from '../http.js';
import { TurnsPerAccount } from '../limits.js';

export interface AnalyticsRouteOptions {
  prisma: PrismaClient;
  /** The bytes of rows one page of a stream may hold (MAX_READ_BYTES). */
  maxReadBytes: number;
}

/** Session ids may hold "/" too: the id is everything between the fixed parts. */
const ROUTE = /^\/api\/v1\/(analytics\/)?conversations\/(.+)\/messages$/;

/** The session id a path names, with the route it takes as the API's documents write it (openapi.ts); null when it takes none. */
function matchRoute(path: string): { sessionId: string; route: string } | null {
  const match = ROUTE.exec(path);
  const sessionId = match && decodePathSegment(match[2]!);
  if (!match || !sessionId) return null;
  return { sessionId, route: `/api/v1/${match[1] ?? ''}conversations/{sessionId}/messages` };
}

/** The route a path takes, its session id a placeholder: what the request log names, never the id. */
export function analyticsRoute(path: string): string | null {
  return matchRoute(path)?.route ?? null;
}

/**
 * Chat messages per page read while streaming, at most; a page also stops at MAX_READ_BYTES. A
 * page's text is held until it is written, across database round trips; pages of 1,000 cost more
 * CPU per request than these on a 1,000-message session (1.10x, paired), not less.
 */
const STREAM_PAGE_SIZE = 500;

/** Messages stringified at once while a page is decoded. */
const STRINGIFY_BATCH = 100;

/**
 * Pages one account's arrays read at once, however many it has open: a client that reads slowly
 * (or never) still has each page read and serialized as fast as its socket buffers take them, and
 * hundreds of such streams would otherwise hold the database pool and the event loop.
 */
const PAGES_AT_ONCE_PER_ACCOUNT = 2;

/**
 * One page of the session's chat messages after position `afterSeq`, as the analytics view shows
 * them; the session is looked up by id or name with the first page (null: there is none), and
 * handed on by its row id for the next ones.
 */
async function readPage({ prisma, maxReadBytes }: AnalyticsRouteOptions, accountSid: string, session: string | bigint, afterSeq: number) {
  // Messages are mapped as they are decoded and stringified STRINGIFY_BATCH at a time (a stringify
  // per message costs about twice as much), their brackets cut off: the page's elements, to be
  // joined into the streamed array. Neither the rows nor the messages outlive their batch.
  const chunks: string[] = [];
  let batch: AnalyticsMessage[] = [];
  const page = await readChatMessagesPage(prisma, { accountSid, session, afterSeq, limit: STREAM_PAGE_SIZE }, new ReadBudget(maxReadBytes), (message) => {
    batch.push(analyticsMessageFromStore(message, message.sources ?? []));
    if (batch.length < STRINGIFY_BATCH) return;
    chunks.push(JSON.stringify(batch).slice(1, -1));
    batch = [];
  });
  if (!page) return null;
  if (batch.length) chunks.push(JSON.stringify(batch).slice(1, -1));
  return { sessionPk: page.sessionPk, elements: chunks.join(','), next: page.nextAfterSeq };
}

/** Writes a chunk, waiting while the client is behind; a client gone away ends the wait too (the caller checks). */
async function write(response: ServerResponse, chunk: string): Promise<void> {
  if (response.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.on('drain', done).on('close', done);
  });
}

/**
 * Get Conversation Messages: every chat message of the session as one bare
 * JSON array, streamed page by page so memory stays flat however long the session is. It reads
 * through the store's chat message pages (readChatMessagesPage: the session looked up in the
 * caller's account by the first page's statement, the columns the view prints, sources aggregated
 * per message) without a GraphQL execution per page: for a bulk array that layer costs several
 * times the database work. What it throws, the
 * boundary answers: before the first byte (the first page included) with the analytics error
 * body; mid-stream only by cutting the connection, which a client sees as an incomplete response.
 */
export function createAnalyticsRoute(services: AnalyticsRouteOptions) {
  const turns = new TurnsPerAccount(PAGES_AT_ONCE_PER_ACCOUNT);
  return async function serveAnalytics(request: IncomingMessage, response: ServerResponse, url: URL, account: Caller): Promise<void> {
    if (request.method !== 'GET') throw new GatewayError('method_not_allowed', `${request.method} is not supported here; use GET`);
    const sessionId = matchRoute(url.pathname)?.sessionId;
    if (!sessionId) throw new GatewayError('not_found', `Nothing at ${url.pathname}`);
    // A response answered meanwhile (at its deadline) or cut has no use for the page it waited its turn for.
    const nextPage = (session: string | bigint, afterSeq: number) =>
      turns.run(account.sid, async () => (response.writableEnded || response.destroyed ? undefined : readPage(services, account.sid, session, afterSeq)));
    // The first page is read before the head is sent: a failure there is still an error answer.
    let page = await nextPage(sessionId, 0);
    if (page === undefined) return;
    if (page === null) throw new GatewayError('not_found', `Conversation session "${sessionId}" was not found`);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    await write(response, `[${page.elements}`);
    // A page after one that had more to come; that one was not empty, so every element written is preceded by another.
    while (page.next !== null) {
      page = await nextPage(page.sessionPk, page.next);
      if (!page) return;
      if (page.elements) await write(response, `,${page.elements}`);
    }
    response.end(']');
  };
}
