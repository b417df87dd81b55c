import { messageLimitsFromEnv } from '../models/validation.js';
import { DEFAULT_MAX_READ_BYTES } from '../store/timeline.js';
import { flagFromEnv, positiveIntegerFromEnv } from '../settings.js';

/** What the gateway will accept, and how much it shows, as configured by the environment. */
export interface GatewaySettings {
  /** Request bodies larger than this are refused with 413 before they are parsed. */
  maxBodyBytes: number;
  /**
   * The bytes of rows one request may hold at once: a GraphQL operation's pages and sources
   * together, one Twilio page, one page of the analytics stream.
   */
  maxReadBytes: number;
  operationLimits: OperationLimits;
  rateLimits: RateLimitSettings;
  /** A request still running after this is answered `unavailable` (event streams excepted). */
  requestTimeoutMs: number;
  /** Schema introspection (`__schema`, `__type`) answers. */
  introspection: boolean;
  /** "Did you mean …" suggestions in validation errors. */
  fieldSuggestions: boolean;
  /** Origins a browser may call the gateway from; none means no CORS headers at all. */
  corsOrigins: string[];
  /** Where Twilio paging URLs point. */
  pagingOrigin: PagingOriginSettings;
}

export interface PagingOriginSettings {
  /** The gateway's public origin behind a proxy: when set, every paging URL is built on it. */
  publicUrl?: string;
  /**
   * Host header values (`host` or `host:port`) a paging URL may be built on; any when unset. A
   * request naming another gets URLs on the address its connection reached, which no header changes.
   */
  allowedHosts?: string[];
}

export interface OperationLimits {
  /** Nesting of selections: Relay's `edges { node }` costs two levels per connection. */
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens in a document: bounds parsing before anything else is done with it. */
  maxTokens: number;
  maxDirectives: number;
  /** The estimated cost of an operation: a page's size multiplies what it selects, a list its longest length. */
  maxCost: number;
  /** The longest a list other than a connection can be (`sources`: MAX_SOURCES_PER_MESSAGE), for its cost. */
  maxListLength: number;
}

export interface RateLimitSettings {
  /** Requests one account may make per window. */
  accountRequests: number;
  accountWindowSeconds: number;
  /** Failed authentications one client address may make per window before it is refused outright. */
  authFailures: number;
  authFailureWindowSeconds: number;
  /** Shared counters for every gateway process when set; in-process counters otherwise. */
  redisUrl?: string;
  /** Prefix of the limiters' Redis keys: gateways sharing counters use the same one. */
  redisPrefix: string;
}

type Env = Record<string, string | undefined>;

/** The settings from environment variables; `NODE_ENV=production` turns off what only helps a developer. */
export function gatewaySettingsFromEnv(env: Env = process.env): GatewaySettings {
  const production = env.NODE_ENV === 'production';
  return {
    maxBodyBytes: positiveIntegerFromEnv(env, 'MAX_BODY_BYTES', 1024 * 1024),
    maxReadBytes: positiveIntegerFromEnv(env, 'MAX_READ_BYTES', DEFAULT_MAX_READ_BYTES),
    operationLimits: {
      maxDepth: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DEPTH', 10),
      maxAliases: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_ALIASES', 15),
      maxTokens: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DIRECTIVES', 20),
      maxCost: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_COST', 1_000_000),
      maxListLength: messageLimitsFromEnv(env).sourcesPerMessage,
    },
    rateLimits: {
      accountRequests: positiveIntegerFromEnv(env, 'RATE_LIMIT_ACCOUNT_REQUESTS', 20_000),
      accountWindowSeconds: positiveIntegerFromEnv(env, 'RATE_LIMIT_ACCOUNT_WINDOW_SECONDS', 10),
      authFailures: positiveIntegerFromEnv(env, 'RATE_LIMIT_AUTH_FAILURES', 100),
      authFailureWindowSeconds: positiveIntegerFromEnv(env, 'RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS', 60),
      redisUrl: env.REDIS_URL || undefined,
      redisPrefix: env.RATE_LIMIT_REDIS_PREFIX || 'conversation-gateway:rate-limit',
    },
    requestTimeoutMs: positiveIntegerFromEnv(env, 'REQUEST_TIMEOUT_MS', 30_000),
    introspection: flagFromEnv(env, 'GRAPHQL_INTROSPECTION', !production),
    fieldSuggestions: !production,
    corsOrigins: listFromEnv(env, 'CORS_ORIGINS') ?? [],
    pagingOrigin: {
      publicUrl: env.PUBLIC_URL || undefined,
      // In production the Host header is trusted only when the operator names it.
      allowedHosts: listFromEnv(env, 'ALLOWED_HOSTS')?.map((host) => host.toLowerCase()) ?? (production ? [] : undefined),
    },
  };
}

/** A comma-separated list, or undefined when the variable is unset or empty. */
function listFromEnv(env: Env, name: string): string[] | undefined {
  const items = (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}
