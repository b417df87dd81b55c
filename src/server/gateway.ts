import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { asGatewayError, GatewayError } from '../errors.js';
import type { MessageEvents } from '../live/message-events.js';
import type { PrismaClient } from '../store/database.js';
import { createAnalyticsRoute } from './analytics/route.js';
import { sendAnalyticsError } from './analytics/errors.js';
import { createGraphQLEndpoint, sendGraphQLError } from './graphql-endpoint.js';
import { retryAfterHeaders, sendJson } from './http.js';
import { createObservability, type Observability } from './observability.js';
import { openApiDocument } from './openapi.js';
import type { TrustedDocuments } from './trusted-documents.js';
import { createTwilioRoutes } from './twilio/routes.js';
import { sendTwilioError } from './twilio/errors.js';

export interface GatewayOptions {
  prisma: PrismaClient;
  events: MessageEvents;
  graphiql: boolean;
  graphiqlToken?: string;
  /** The gateway's public origin when it sits behind a proxy; paging URLs are built on it. */
  publicUrl?: string;
  /** Request log and metrics; without, requests are counted but not logged. */
  observability?: Observability;
  /** Run only these GraphQL documents (GRAPHQL_TRUSTED_DOCUMENTS). */
  trustedDocuments?: TrustedDocuments;
  /** Serve /metrics on this server (default true; false when it has a port of its own, or is off). */
  metricsEndpoint?: boolean;
}

/** Which API a path belongs to: an error the boundary answers itself takes that API's shape. */
type Surface = 'graphql' | 'twilio' | 'analytics' | 'gateway';

function surfaceOf(path: string): Surface {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/v1/')) return 'twilio';
  if (path.startsWith('/api/v1/')) return 'analytics';
  return 'gateway';
}

const sendErrorOn: Record<Surface, (response: ServerResponse, error: unknown, path: string) => void> = {
  graphql: sendGraphQLError,
  twilio: sendTwilioError,
  analytics: sendAnalyticsError,
  gateway: (response, error) => {
    const { code, message, retryAfterSeconds } = asGatewayError(error);
    sendJson(response, code === 'not_found' ? 404 : code === 'internal' ? 500 : 400, { code, message }, retryAfterHeaders(retryAfterSeconds));
  },
};

/**
 * The request's path, or null when its target is not one (an absolute-form URL with a bad host,
 * say). `new URL` throws on such targets, and a throw here would end the process.
 */
function pathOf(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://gateway');
  } catch {
    return null;
  }
}

/**
 * The HTTP server: GraphQL at /graphql, the Twilio API under /v1/, the analytics API under /api/v1/.
 * Its listener is the boundary nothing can throw past: whatever a surface throws is answered in
 * that surface's error shape (or, once a response has started, ends that response), and the
 * process keeps serving.
 */
export function createGateway(options: GatewayOptions): Server {
  const observability = options.observability ?? createObservability();
  const graphql = createGraphQLEndpoint(options);
  const twilio = createTwilioRoutes(options);
  const analytics = createAnalyticsRoute(options);
  const route = async (request: IncomingMessage, response: ServerResponse, url: URL | null): Promise<void> => {
    if (!url) throw new GatewayError('invalid_argument', `The request target "${request.url}" is not a path`);
    switch (surfaceOf(url.pathname)) {
      case 'graphql':
        return graphql(request, response);
      case 'twilio':
        return twilio(request, response, url);
      case 'analytics':
        return analytics(request, response, url);
      case 'gateway':
        if (url.pathname === '/metrics' && options.metricsEndpoint !== false) return observability.serveMetrics(response);
        if (url.pathname === '/openapi.json') return sendJson(response, 200, openApiDocument);
        throw new GatewayError('not_found', `Nothing at ${url.pathname}. GraphQL is served at /graphql.`);
    }
  };
  return createServer((request, response) => {
    const url = pathOf(request);
    const path = url?.pathname ?? '/';
    void observability.observe(request, response, surfaceOf(path), path, () =>
      route(request, response, url).catch((error: unknown) => {
        if (response.headersSent) {
          asGatewayError(error);
          response.destroy();
        } else {
          sendErrorOn[surfaceOf(path)](response, error, path);
        }
      }),
    );
  });
}
