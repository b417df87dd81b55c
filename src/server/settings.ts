import { flagFromEnv, positiveIntegerFromEnv } from '../settings.js';

/** What the gateway will accept, and how much it shows, as configured by the environment. */
export interface GatewaySettings {
  /** Request bodies larger than this are refused with 413 before they are parsed. */
  maxBodyBytes: number;
  operationLimits: OperationLimits;
  rateLimits: RateLimitSettings;
  /** A request still open after this (its body still arriving, or its answer not yet sent or read) is answered `unavailable` or cut; subscription streams excepted. */
  requestTimeoutMs: number;
  /** Requests one account may have open at once on this process, subscription streams aside; one more is refused `rate_limited`. */
  maxOpenRequestsPerAccount: number;
  /** Schema introspection (`__schema`, `__type`) answers. */
  introspection: boolean;
  /** "Did you mean …" suggestions in validation errors. */
  fieldSuggestions: boolean;
  /** Origins a browser may call the gateway from; none means no CORS headers at all. */
  corsOrigins: string[];
}

export interface OperationLimits {
  /** Nesting of selections: Relay's `edges { node }` costs two levels per connection. */
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens in a document: bounds parsing before anything else is done with it. */
  maxTokens: number;
  maxDirectives: number;
  /** The estimated cost of an operation: a page's size multiplies what it selects, a list counts ten. */
  maxCost: number;
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
    operationLimits: {
      maxDepth: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DEPTH', 10),
      maxAliases: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_ALIASES', 15),
      maxTokens: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DIRECTIVES', 20),
      maxCost: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_COST', 200_000),
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
    maxOpenRequestsPerAccount: positiveIntegerFromEnv(env, 'MAX_OPEN_REQUESTS_PER_ACCOUNT', 100),
    introspection: flagFromEnv(env, 'GRAPHQL_INTROSPECTION', !production),
    fieldSuggestions: !production,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}
