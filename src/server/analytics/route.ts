import { once } from 'node:events';
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from '../../graphql/context.js';
import { graphql } from '../../graphql/documents/index.js';
import { analyticsMessageFromStore } from '../../models/analytics-message.js';
import { StoreError } from '../../store/errors.js';
import { authenticatedContext } from '../auth.js';
import { executeDocument } from '../execute.js';
import { decodePathSegment, sendJson } from '../http.js';

const AnalyticsMessages = graphql(`
  query AnalyticsMessages($session: ID!, $first: Int!, $after: String) {
    session(id: $session) {
      messages(first: $first, after: $after, types: [CHAT_MESSAGE]) {
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            __typename
            ... on ChatMessage { messageId role text confidence meta origin createdAt sources { key text url score title } }
          }
        }
      }
    }
  }
`);

const errorCodeOf = {
  unauthenticated: [401, 'authentication_error'],
  not_found: [404, 'resource_not_found'],
  invalid_argument: [400, 'validation_error'],
  invalid_cursor: [400, 'validation_error'],
} as const;

function sendAnalyticsError(response: ServerResponse, error: unknown): void {
  const known = error instanceof StoreError && error.code in errorCodeOf ? errorCodeOf[error.code as keyof typeof errorCodeOf] : undefined;
  if (!known) console.error(error);
  const [status, code] = known ?? [500, 'server_error'];
  const message = known ? (error as StoreError).message : 'The server could not complete the request';
  sendJson(response, status, { status: 'error', error: { code, message } });
}

/** Session ids may hold "/" too: the id is everything between the fixed parts. */
function matchSessionId(path: string): string | null {
  const match = /^\/api\/v1\/(?:analytics\/)?conversations\/(.+)\/messages$/.exec(path);
  return match ? decodePathSegment(match[1]!) : null;
}

type MessagePage = NonNullable<ResultOf<typeof AnalyticsMessages>['session']>['messages'];

/**
 * Items per page read while streaming. Each page is in flight across database round trips, so V8
 * promotes it to the old generation before it dies; smaller pages keep that garbage, and the
 * process's peak memory, small (a 100,000-message stream: +60 MiB at 250, +100 MiB at 1000).
 */
const STREAM_PAGE_SIZE = 250;

async function readPage(context: GatewayContext, sessionId: string, after: string | null): Promise<MessagePage> {
  const { session } = await executeDocument(context, AnalyticsMessages, { session: sessionId, first: STREAM_PAGE_SIZE, after });
  if (!session) throw new StoreError('not_found', `Conversation session "${sessionId}" was not found`);
  return session.messages;
}

async function write(response: ServerResponse, chunk: string): Promise<void> {
  if (!response.write(chunk)) await once(response, 'drain');
}

/**
 * Get Conversation Messages (CONTRACT.md section 2): every chat message of the session as one bare
 * JSON array. It is streamed page by page through the GraphQL schema, so memory stays flat however
 * long the session is. Errors found before the first byte get the analytics error body; a failure
 * mid-stream can only cut the connection, which a client sees as an incomplete response.
 */
export function createAnalyticsRoute(options: Omit<GatewayContext, 'account'>) {
  return async function serveAnalytics(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    let started = false;
    try {
      if (request.method !== 'GET') throw new StoreError('invalid_argument', `${request.method} is not supported here; use GET`);
      const context = await authenticatedContext(options, request.headers.authorization);
      const sessionId = matchSessionId(url.pathname);
      if (!sessionId) throw new StoreError('not_found', `Nothing at ${url.pathname}`);
      let after: string | null = null;
      do {
        const page: MessagePage = await readPage(context, sessionId, after);
        const items = page.edges.flatMap(({ node }) =>
          node.__typename === 'ChatMessage' ? [JSON.stringify(analyticsMessageFromStore(node))] : [],
        );
        if (!started) {
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          await write(response, '[');
          started = true;
        } else if (items.length) {
          await write(response, ',');
        }
        if (items.length) await write(response, items.join(','));
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
      } while (after && !response.destroyed);
      response.end(']');
    } catch (error) {
      if (!started) return sendAnalyticsError(response, error);
      console.error(error);
      response.destroy(error as Error);
    }
  };
}
