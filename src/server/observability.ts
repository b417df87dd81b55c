import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { pino, type Logger } from 'pino';
import { pathOf } from './http.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the request log line and the metrics say about one request, filled in as it is served. */
interface RequestRecord {
  requestId: string;
  surface: string;
  /** The GraphQL operation type, or which Twilio or analytics resource; "none" when there was none. */
  operation: string;
  accountSid?: string;
  /** Set while the request is an open subscription stream. */
  subscribed?: () => void;
  /** Who ended the response before it was complete, when the gateway did. */
  cutBy?: CutBy;
  /** Set when its GraphQL operation ran compiled (graphql-jit) rather than on graphql-js. */
  compiled?: boolean;
  /** Set when it was answered as a known document, without Yoga (compiled-execution.ts). */
  known?: boolean;
}

/** Who ends a response before it is complete: the gateway at shutdown or at the request's deadline, or else its client. */
export type CutBy = 'shutdown' | 'deadline' | 'client';

/**
 * The requests being served, by their Node request: the surfaces note what they learn. (Not
 * AsyncLocalStorage: on Node 20 its promise hooks cost every request a measurable share.)
 */
const records = new WeakMap<IncomingMessage, RequestRecord>();

/** The surfaces call this once they have authenticated: the request's log line names the caller's account (never the credential). */
export function noteCaller(request: IncomingMessage, accountSid: string): void {
  const record = records.get(request);
  if (record) record.accountSid = accountSid;
}

/** The gateway is about to end the request's response before it is complete: its log line says so, and why. */
export function noteCut(request: IncomingMessage, by: CutBy): void {
  const record = records.get(request);
  if (record) record.cutBy = by;
}

/** The compiled executor calls this for each operation it runs (`known`: answered without Yoga), counted in the metrics. */
export function noteCompiledExecution(request: IncomingMessage | undefined, known = false): void {
  const record = request && records.get(request);
  if (!record) return;
  record.compiled = true;
  record.known ||= known;
}

/** The GraphQL endpoint calls this with the type of the operation a request runs ("query", "mutation", "subscription"). */
export function noteOperation(request: IncomingMessage, operation: string): RequestRecord | undefined {
  const record = records.get(request);
  if (record) record.operation = operation;
  return record;
}

/** The Yoga plugin that labels a GraphQL request with its operation type and caller, and counts open subscriptions. */
export function observeGraphQLOperations(): Plugin {
  const note = (args: { document: Parameters<typeof getOperationAST>[0]; operationName?: string | null; contextValue: unknown }) => {
    const { req, account } = args.contextValue as { req?: IncomingMessage; account?: { sid: string } };
    const record = req && noteOperation(req, getOperationAST(args.document, args.operationName)?.operation ?? 'none');
    if (record && account) record.accountSid = account.sid;
    return record;
  };
  return {
    onExecute: ({ args }) => void note(args),
    onSubscribe: ({ args }) => note(args)?.subscribed?.(),
  };
}

/** A request id a client may choose (X-Request-Id); anything else is replaced by a generated one. */
const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** What a PostgreSQL pool tells of its connections (pg.Pool has these). */
export interface PoolStatistics {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface ObservabilityOptions {
  /** Where request lines go; none are written without one. */
  log?: Logger;
  /** The database pool, whose connections /metrics shows (PostgreSQL only). */
  databasePool?: PoolStatistics;
  /** Also collect the process's own metrics (CPU, memory, event-loop delay, heap). */
  processMetrics?: boolean;
}

/** How a retention sweep ended: it swept, another gateway was sweeping, or it met an error. */
export type RetentionSweepOutcome = 'swept' | 'skipped' | 'failed';

/** What a retention sweep deleted. */
export interface RetentionSweepDeleted {
  sessions: number;
  /** Chat messages, tool calls and knowledge calls. */
  messages: number;
  sources: number;
}

export interface Observability {
  registry: Registry;
  log: Logger;
  /** Rate limits call this for each request they refuse; `limit` names the limit. */
  rateLimitRefused(surface: string, limit: string): void;
  /** The retention sweeps call this once a round, with what the round deleted (a failed round may have deleted some batches). */
  retentionSwept(outcome: RetentionSweepOutcome, deleted: RetentionSweepDeleted): void;
  /**
   * Serves one request under observation: its id is taken from X-Request-Id or generated and sent
   * back in that header; once the response is over, one log line and the request metrics record it.
   * `route` is the route its path takes as the API documents write it (`/v1/Sessions/{sessionId}`),
   * null when it takes none: the line names it, never the path, whose ids and names erasure cannot
   * reach once logged, nor the query string.
   */
  observe(request: IncomingMessage, response: ServerResponse, surface: string, route: string | null, serve: () => Promise<void>): Promise<void>;
  /** Answers GET /metrics with the Prometheus text exposition. */
  serveMetrics(response: ServerResponse): Promise<void>;
}

/** The Twilio or analytics resource a route names, as a label with few values. */
function restOperation(surface: string, route: string | null): string {
  if (route === null) return 'none';
  if (surface === 'analytics') return 'messages.list';
  if (surface !== 'twilio') return route === '/metrics' ? 'metrics' : 'none';
  if (route === '/v1/Sessions') return 'sessions.list';
  return route.endsWith('/Messages') ? 'messages.list' : 'session.fetch';
}

export function createObservability({ log = pino({ level: 'silent' }), databasePool, processMetrics = false }: ObservabilityOptions = {}): Observability {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'HTTP requests answered, by API surface, operation and status',
    labelNames: ['surface', 'operation', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from a request arriving to its response ending (a subscription: its whole stream), by API surface and operation',
    labelNames: ['surface', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const rateLimitRefusals = new Counter({
    name: 'gateway_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by API surface and limit',
    labelNames: ['surface', 'limit'] as const,
    registers: [registry],
  });
  const compiledExecutions = new Counter({
    name: 'gateway_graphql_compiled_executions_total',
    help: 'GraphQL operations run by their compiled form (graphql-jit) rather than by graphql-js',
    registers: [registry],
  });
  const knownDocumentRequests = new Counter({
    name: 'gateway_graphql_known_document_requests_total',
    help: 'GraphQL requests for a query run before, answered by its compiled form without Yoga parsing, validating or wrapping them',
    registers: [registry],
  });
  const retentionSweeps = new Counter({
    name: 'gateway_retention_sweeps_total',
    help: 'Retention sweep rounds of this process, by outcome: swept, skipped (another gateway was sweeping) or failed',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const retentionDeletedSessions = new Counter({
    name: 'gateway_retention_deleted_sessions_total',
    help: "Sessions deleted by this process's retention sweeps",
    registers: [registry],
  });
  const retentionDeletedMessages = new Counter({
    name: 'gateway_retention_deleted_messages_total',
    help: "Chat messages, tool calls and knowledge calls deleted with them",
    registers: [registry],
  });
  const retentionDeletedSources = new Counter({
    name: 'gateway_retention_deleted_sources_total',
    help: 'Sources deleted with them',
    registers: [registry],
  });
  // Every outcome is shown from the start, at 0, so a rate over it is defined before the first round.
  for (const outcome of ['swept', 'skipped', 'failed'] satisfies RetentionSweepOutcome[]) retentionSweeps.inc({ outcome }, 0);
  const openSubscriptions = new Set<RequestRecord>();
  new Gauge({
    name: 'gateway_subscriptions_open',
    help: 'GraphQL subscription streams open now',
    registers: [registry],
    collect() {
      this.set(openSubscriptions.size);
    },
  });
  if (databasePool) {
    new Gauge({
      name: 'gateway_database_pool_connections',
      help: 'Connections of the PostgreSQL pool: all of them, the idle ones, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, databasePool.totalCount);
        this.set({ state: 'idle' }, databasePool.idleCount);
        this.set({ state: 'waiting' }, databasePool.waitingCount);
      },
    });
  }

  return {
    registry,
    log,
    rateLimitRefused: (surface, limit) => rateLimitRefusals.inc({ surface, limit }),
    retentionSwept(outcome, deleted) {
      retentionSweeps.inc({ outcome });
      retentionDeletedSessions.inc(deleted.sessions);
      retentionDeletedMessages.inc(deleted.messages);
      retentionDeletedSources.inc(deleted.sources);
    },
    observe(request, response, surface, route, serve) {
      const offered = request.headers['x-request-id'];
      const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
      response.setHeader('x-request-id', requestId);
      const record: RequestRecord = { requestId, surface, operation: restOperation(surface, route) };
      record.subscribed = () => openSubscriptions.add(record);
      records.set(request, record);
      const started = process.hrtime.bigint();
      response.once('close', () => {
        openSubscriptions.delete(record);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // A response that did not end as it should was cut, and its status is what was sent of it, if anything.
        const cut = response.writableFinished ? undefined : (record.cutBy ?? 'client');
        const status = response.headersSent ? response.statusCode : null;
        requests.inc({ surface, operation: record.operation, status: cut ? 'cut' : String(status) });
        duration.observe({ surface, operation: record.operation }, seconds);
        if (record.compiled) compiledExecutions.inc();
        if (record.known) knownDocumentRequests.inc();
        log.info(
          {
            requestId,
            method: request.method,
            route,
            surface,
            operation: record.operation,
            accountSid: record.accountSid ?? null,
            status,
            durationMs: Math.round(seconds * 1e4) / 10,
            ...(cut ? { cut } : {}),
          },
          'request',
        );
      });
      return serve();
    },
    async serveMetrics(response) {
      const body = await registry.metrics();
      response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
    },
  };
}

/** /metrics alone on a port of its own (METRICS_PORT), for a network only Prometheus reaches. */
export function createMetricsServer(observability: Observability): Server {
  return createServer((request, response) => {
    if (pathOf(request)?.pathname !== '/metrics') return void response.writeHead(404).end();
    observability.serveMetrics(response).catch((error: unknown) => {
      observability.log.error({ err: error }, 'metrics');
      response.destroy();
    });
  });
}
