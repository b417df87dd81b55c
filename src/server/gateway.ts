import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { asGatewayError, GatewayError, reportFault, type ErrorCode } from '../errors.js';
import type { MessageEvents } from '../live/message-events.js';
import type { RedisConnection } from '../live/redis.js';
import type { PrismaClient } from '../store/database.js';
import type { SealingKey } from '../store/sealing.js';
import { analyticsRoute, createAnalyticsRoute } from './analytics/route.js';
import { sendAnalyticsError } from './analytics/errors.js';
import { forgetCredentials, withdrawnCallers, type Caller } from '../store/accounts.js';
import { existingSessions } from '../store/sessions.js';
import { authenticate } from './auth.js';
import { createGraphQLEndpoint, sendGraphQLError, servesWithoutAccount } from './graphql-endpoint.js';
import { hasValidHost, pathOf, retryAfterHeaders, sendJson } from './http.js';
import { createExplorerRoute, type ExplorerOptions } from './explorer.js';
import { createHealthRoutes } from './health.js';
import { readBody, requireGraphQLBodyType } from './limits.js';
import { createObservability, noteCaller, noteCut, type Observability } from './observability.js';
import { openApiDocument } from './openapi.js';
import { createRateLimits } from './rate-limits.js';
import type { GatewaySettings } from './settings.js';
import { RequestLifecycle } from './shutdown.js';
import type { TrustedDocuments } from './trusted-documents.js';
import { createTwilioRoutes, twilioRoute } from './twilio/routes.js';
import { sendTwilioError } from './twilio/errors.js';

export interface GatewayOptions {
  prisma: PrismaClient;
  events: MessageEvents;
  /** The deployment's key for the ids and cursors clients see (loadSealingKey). */
  sealingKey: SealingKey;
  /** Rate-limit counters shared with every gateway process through Redis; in process memory without. */
  redis?: RedisConnection;
  graphiql: boolean;
  graphiqlToken?: string;
  /** Limits, deadlines and production defaults (see src/config.ts). */
  settings: GatewaySettings;
  /** Request log and metrics; without, requests are counted but not logged. */
  observability?: Observability;
  /** Serve the conversation explorer at `/` (EXPLORER); off unless given. */
  explorer?: ExplorerOptions | false;
  /** Run only these GraphQL documents (GRAPHQL_TRUSTED_DOCUMENTS). */
  trustedDocuments?: TrustedDocuments;
  /** Serve /metrics on this server (default true; false when it has a port of its own, or is off). */
  metricsEndpoint?: boolean;
}

export interface Gateway extends Server {
  /** Drains (`/ready` 503, connections closed after their response), ends event streams, waits for requests in flight up to `drainMs`, then closes. */
  shutdown(drainMs: number): Promise<void>;
  /**
   * An account's credentials changed (a token rotated, a key revoked), or, without one, any may
   * have: what was cached is forgotten and the streams opened with a withdrawn credential end.
   */
  credentialsChanged(accountSid?: string): void;
}

/** Which API a path belongs to: an error the boundary answers itself takes that API's shape. */
type Surface = 'graphql' | 'twilio' | 'analytics' | 'gateway';

function surfaceOf(path: string): Surface {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/v1/')) return 'twilio';
  if (path.startsWith('/api/v1/')) return 'analytics';
  return 'gateway';
}

/** The gateway's own paths, which hold no id, each its own route. */
const GATEWAY_ROUTES = new Set(['/health', '/ready', '/metrics', '/openapi.json', '/', '/explorer-demo.json']);

/**
 * The route a path takes as the API documents write it (`/v1/Sessions/{sessionId}/Messages`), or
 * null when it takes none: what the request log names. A path holds session ids and names, which
 * no erasure reaches once they are in a log file.
 */
function routeOf(surface: Surface, path: string): string | null {
  switch (surface) {
    case 'graphql':
      return path;
    case 'twilio':
      return twilioRoute(path);
    case 'analytics':
      return analyticsRoute(path);
    case 'gateway':
      if (GATEWAY_ROUTES.has(path)) return path;
      // The explorer's assets are named by their content's hash.
      return path.startsWith('/assets/') ? '/assets/{file}' : null;
  }
}

/** Every domain error as the gateway's own paths (/health, /metrics, unknown paths) answer it: an HTTP status. */
const gatewayStatusOf: Record<ErrorCode, number> = {
  not_found: 404,
  invalid_argument: 400,
  invalid_cursor: 400,
  unauthenticated: 401,
  permission_denied: 403,
  conflict: 409,
  limit_exceeded: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  rate_limited: 429,
  unavailable: 503,
  database_in_use: 503,
  invalid_configuration: 500,
  internal: 500,
};

const sendErrorOn: Record<Surface, (response: ServerResponse, error: unknown, path: string) => void> = {
  graphql: sendGraphQLError,
  twilio: sendTwilioError,
  analytics: sendAnalyticsError,
  gateway: (response, error) => {
    const { code, message, retryAfterSeconds } = asGatewayError(error);
    sendJson(response, gatewayStatusOf[code], { code, message }, retryAfterHeaders(retryAfterSeconds));
  },
};

/** What Node's HTTP parser refuses, with the status Node gives it; anything else it refuses is a 400. */
const parserRefusals: Record<string, { status: number; code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'payload_too_large', message: "The request's headers are over the size limit" },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: 'payload_too_large', message: "The request body's chunk extensions are over the size limit" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'unavailable', message: 'The request did not arrive in time' },
};

/** An answer in the gateway's own error shape written straight to a connection that never became a request, which is then closed. */
function refuseConnection(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ code, message });
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}

/**
 * The HTTP server: GraphQL at /graphql, the Twilio API under /v1/, the analytics API under /api/v1/.
 * Its listener is the boundary nothing can throw past: whatever a surface throws is answered in
 * that surface's error shape (or, once a response has started, ends that response), and the
 * process keeps serving.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { settings } = options;
  const observability = options.observability ?? createObservability();
  const rateLimits = createRateLimits(settings.rateLimits, options.redis);
  const graphql = createGraphQLEndpoint({ ...options, settings, listedDocuments: options.explorer ? options.explorer.documents : undefined });
  const twilio = createTwilioRoutes({ prisma: options.prisma, sealingKey: options.sealingKey, maxReadBytes: settings.maxReadBytes, pagingOrigin: settings.pagingOrigin });
  const analytics = createAnalyticsRoute({ prisma: options.prisma, maxReadBytes: settings.maxReadBytes });
  const health = createHealthRoutes({ prisma: options.prisma, draining: () => lifecycle.draining });
  const explorer = options.explorer ? createExplorerRoute(options.explorer) : undefined;

  /**
   * The caller's account, before anything of the request is read or parsed. An address that keeps
   * failing is refused before its credentials cost a lookup; an account over its limit is refused.
   */
  const authenticateRequest = async (request: IncomingMessage, response: ServerResponse, surface: Surface): Promise<Caller> => {
    const address = request.socket.remoteAddress ?? 'unknown';
    // A refusal by a rate limit is counted in the metrics, by surface and by which limit refused it.
    const counted = (limit: string) => (error: unknown) => {
      if (error instanceof GatewayError && error.code === 'rate_limited') observability.rateLimitRefused(surface, limit);
      throw error;
    };
    await rateLimits.checkAddress(address).catch(counted('authentication failures'));
    const caller = await authenticate(options.prisma, request.headers.authorization, settings.credentialCheckMs).catch(async (error: unknown) => {
      if (error instanceof GatewayError && error.code === 'unauthenticated') await rateLimits.authenticationFailed(address).catch(counted('authentication failures'));
      throw error;
    });
    noteCaller(request, caller.sid);
    await rateLimits.consumeAccount(caller.sid).catch(counted('account requests'));
    try {
      lifecycle.admit(caller.sid, response);
    } catch (error) {
      counted('open requests')(error);
    }
    return caller;
  };

  const serveGraphQL = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (servesWithoutAccount(request, options.graphiql)) return graphql(request, response);
    const account = await authenticateRequest(request, response, 'graphql');
    if (request.method === 'POST') {
      requireGraphQLBodyType(request);
      const body = await readBody(request, settings.maxBodyBytes);
      if (!body.length) throw new GatewayError('invalid_argument', 'POST /graphql needs a JSON body: {"query": "…"}');
      Object.assign(request, { body });
      return graphql(request, response, account, body);
    }
    return graphql(request, response, account);
  };

  const route = async (request: IncomingMessage, response: ServerResponse, url: URL | null): Promise<void> => {
    if (!url) throw new GatewayError('invalid_argument', `The request target "${request.url}" is not a path`);
    if (!hasValidHost(request)) throw new GatewayError('invalid_argument', `The Host header "${request.headers.host}" names no host`);
    switch (surfaceOf(url.pathname)) {
      case 'graphql':
        return serveGraphQL(request, response);
      case 'twilio':
        return twilio(request, response, url, await authenticateRequest(request, response, 'twilio'));
      case 'analytics':
        return analytics(request, response, url, await authenticateRequest(request, response, 'analytics'));
      case 'gateway':
        if (await health(response, url.pathname)) return;
        if (url.pathname === '/metrics' && options.metricsEndpoint !== false) return observability.serveMetrics(response);
        if (url.pathname === '/openapi.json') return sendJson(response, 200, openApiDocument);
        if (explorer && (await explorer(request, response, url.pathname))) return;
        throw new GatewayError('not_found', `Nothing at ${url.pathname}. GraphQL is served at /graphql.`);
    }
  };
  const { requestTimeoutMs } = settings;
  const server = createServer(
    {
      // Node's own bound on receiving a request (headers and body), a second past the deadline: a
      // body still arriving after its request was answered (refused early, say) holds its connection
      // no longer than the deadline either. Until then the gateway's own answer, in its API's shape, comes first.
      requestTimeout: requestTimeoutMs + 1000,
      headersTimeout: Math.min(60_000, requestTimeoutMs + 1000),
      connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
    },
    (request, response) => {
      const url = pathOf(request);
      const path = url?.pathname ?? '/';
      const surface = surfaceOf(path);
      lifecycle.track(request, response);
      void observability.observe(request, response, surface, url && routeOf(surface, path), () =>
        route(request, response, url).catch((error: unknown) => {
          // Answered already, at the request's deadline: what the late work throws has no one to reach.
          if (response.writableEnded) return;
          if (response.headersSent) {
            asGatewayError(error);
            response.destroy();
          } else {
            sendErrorOn[surface](response, error, path);
          }
        }),
      );
    },
  );
  const lifecycle = new RequestLifecycle(server, options.events.subscriptions, {
    deadlineMs: requestTimeoutMs,
    maxOpenPerAccount: settings.maxOpenRequestsPerAccount,
    // A request still open at its deadline gets `unavailable` in its API's shape, and its
    // connection is closed with it (its body may still be arriving); a response already under way is cut.
    expired(request, response) {
      if (response.headersSent) {
        noteCut(request, 'deadline');
        return response.destroy();
      }
      const path = pathOf(request)?.pathname ?? '/';
      const late = new GatewayError('unavailable', `The request did not complete within ${requestTimeoutMs / 1000} s; retry shortly`, 5);
      response.setHeader('connection', 'close');
      sendErrorOn[surfaceOf(path)](response, late, path);
    },
  });
  // A CONNECT request never reaches the request listener: without this, Node drops the connection unanswered.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => refuseConnection(socket, 405, 'method_not_allowed', 'CONNECT is not served here'));
  // Bytes Node's HTTP parser refuses reach no surface either: Node would answer them with an empty body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // As Node does: only a connection that can still be written to and has had no answer yet is answered.
    if (!socket.writable || socket.bytesWritten > 0) return void socket.destroy();
    const refusal = parserRefusals[error.code ?? ''] ?? { status: 400, code: 'invalid_argument', message: `The request is not HTTP this gateway can read (${error.message})` };
    refuseConnection(socket, refusal.status, refusal.code, refusal.message);
  });
  const { subscriptions } = options.events;
  const checkStreams = async (accountSid?: string) => {
    try {
      await subscriptions.endWithdrawn((callers) => withdrawnCallers(options.prisma, callers), accountSid);
      if (accountSid === undefined) await subscriptions.endDeleted((sessionPks) => existingSessions(options.prisma, sessionPks));
    } catch (error) {
      if (!(error instanceof GatewayError)) reportFault(error);
      // The database cannot say which credential went: the account's streams end, to be opened again.
      if (accountSid !== undefined) subscriptions.endAccount(accountSid);
    }
  };
  // Open streams' credentials are checked again every CREDENTIAL_CHECK_MS: a revoked key or a
  // rotated token ends its streams even when no notice of the change reaches this process, and so
  // does a deleted session. A round still running when the next is due is not doubled; a notice's
  // check for one account always runs.
  let periodicCheck: Promise<void> | undefined;
  const credentialChecks = setInterval(() => {
    periodicCheck ??= checkStreams().finally(() => (periodicCheck = undefined));
  }, settings.credentialCheckMs).unref();
  server.on('close', () => clearInterval(credentialChecks));
  return Object.assign(server, {
    shutdown: (drainMs: number) => lifecycle.shutdown(drainMs),
    credentialsChanged(accountSid?: string) {
      forgetCredentials(options.prisma, accountSid);
      void checkStreams(accountSid);
    },
  });
}
