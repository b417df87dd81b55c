import { GatewayError } from './errors.js';
import type { MessageEventsOptions } from './live/message-events.js';
import type { MessageLimits } from './models/validation.js';
import type { GatewaySettings } from './server/settings.js';
import type { DatabaseOptions, DatabaseTimeouts } from './store/database.js';
import { DEFAULT_MAX_READ_BYTES } from './store/read-budget.js';

/**
 * Every setting of the process, read from the environment once, as a command starts, and passed
 * down from there: a wrong value stops the command with a sentence naming the variable before
 * anything is opened. This is the only module that reads the environment.
 */
export interface Configuration {
  /** NODE_ENV=production: no demo account, GraphiQL, introspection or field suggestions. */
  production: boolean;
  database: DatabaseOptions & { dataDir: string };
  databaseTimeouts: Required<DatabaseTimeouts>;
  /** Live events, rate-limit counters and credential changes shared by every gateway process. */
  redisUrl?: string;
  gateway: GatewaySettings;
  messageEvents: MessageEventsOptions;
  log: LogSettings;
  port: number;
  host: string;
  /** /metrics on the gateway's own port, on a port of its own, or not at all. */
  metrics: { enabled: boolean; port?: number };
  shutdownDrainMs: number;
  graphiql: boolean;
  /** The conversation explorer page at `/` (in production too; it holds no credentials of its own). */
  explorer: boolean;
  trustedDocumentsFile?: string;
  /** How often a gateway sweeps away the sessions older than their account's retention. */
  retentionSweepIntervalMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LogSettings {
  level: (typeof LOG_LEVELS)[number];
  /** Unset: readable lines on a terminal, JSON lines otherwise. */
  format?: 'json' | 'pretty';
}

type Env = Record<string, string | undefined>;

function invalid(name: string, expected: string, text: string): GatewayError {
  return new GatewayError('invalid_configuration', `${name} must be ${expected}, not "${text}"`);
}

/** The variable's text, or undefined when it is unset or empty (an empty variable is the same as none). */
function text(env: Env, name: string): string | undefined {
  return env[name] || undefined;
}

/** A positive whole number (a timeout in ms, a count, a limit), or the default when unset. */
export function positiveIntegerFromEnv(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1) throw invalid(name, 'a positive whole number', value);
  return number;
}

/** The longest timer Node keeps: a longer one fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration in milliseconds that a timer can wait (a deadline, an interval), or the default when unset. */
export function durationMsFromEnv(env: Env, name: string, fallback: number): number {
  const ms = positiveIntegerFromEnv(env, name, fallback);
  if (ms > MAX_TIMER_MS) throw invalid(name, `a positive whole number of milliseconds up to ${MAX_TIMER_MS} (about 24 days)`, text(env, name)!);
  return ms;
}

/** A period in whole seconds that a timer can wait, in milliseconds, or the default when unset. */
export function secondsFromEnv(env: Env, name: string, fallback: number): number {
  const seconds = positiveIntegerFromEnv(env, name, fallback);
  const most = Math.floor(MAX_TIMER_MS / 1000);
  if (seconds > most) throw invalid(name, `a positive whole number of seconds up to ${most} (about 24 days)`, text(env, name)!);
  return seconds * 1000;
}

/** "true" or "false", or the default when unset. */
export function flagFromEnv(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (value !== 'true' && value !== 'false') throw invalid(name, '"true" or "false"', value);
  return value === 'true';
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T | undefined): T | undefined {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!values.includes(value as T)) throw invalid(name, `one of ${values.join(', ')}`, value);
  return value as T;
}

function portFromEnv(env: Env, name: string): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw invalid(name, 'a port number from 0 to 65535', value);
  return Number(value);
}

/** A URL with one of `protocols` (as `new URL` spells them, "redis:"), or undefined when unset. */
function urlFromEnv(env: Env, name: string, protocols: string[], example: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(name, `a URL such as ${example}`, value);
  }
  if (!protocols.includes(url.protocol)) throw invalid(name, `a URL such as ${example}`, value);
  return value;
}

export const defaultMessageLimits: MessageLimits = { sourcesPerMessage: 1000, messageBytes: 1_048_576 };

export function messageLimitsFromEnv(env: Env): MessageLimits {
  return {
    sourcesPerMessage: positiveIntegerFromEnv(env, 'MAX_SOURCES_PER_MESSAGE', defaultMessageLimits.sourcesPerMessage),
    messageBytes: positiveIntegerFromEnv(env, 'MAX_MESSAGE_BYTES', defaultMessageLimits.messageBytes),
  };
}

/** Bounds that turn a stopped or frozen PostgreSQL into a prompt `unavailable` rather than a hung request. */
export function databaseTimeoutsFromEnv(env: Env): Required<DatabaseTimeouts> {
  return {
    connectMs: durationMsFromEnv(env, 'DATABASE_CONNECT_TIMEOUT_MS', 3000),
    statementMs: durationMsFromEnv(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5000),
  };
}

/** The gateway's limits and deadlines; `NODE_ENV=production` turns off what only helps a developer. */
export function gatewaySettingsFromEnv(env: Env): GatewaySettings {
  const production = env.NODE_ENV === 'production';
  const messageLimits = messageLimitsFromEnv(env);
  return {
    maxBodyBytes: positiveIntegerFromEnv(env, 'MAX_BODY_BYTES', 1024 * 1024),
    maxReadBytes: positiveIntegerFromEnv(env, 'MAX_READ_BYTES', DEFAULT_MAX_READ_BYTES),
    operationLimits: {
      maxDepth: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DEPTH', 10),
      maxAliases: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_ALIASES', 15),
      maxTokens: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_TOKENS', 2000),
      maxDirectives: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_DIRECTIVES', 20),
      maxCost: positiveIntegerFromEnv(env, 'GRAPHQL_MAX_COST', 2_000_000),
      maxListLength: messageLimits.sourcesPerMessage,
    },
    rateLimits: {
      accountRequests: positiveIntegerFromEnv(env, 'RATE_LIMIT_ACCOUNT_REQUESTS', 20_000),
      accountWindowSeconds: positiveIntegerFromEnv(env, 'RATE_LIMIT_ACCOUNT_WINDOW_SECONDS', 10),
      authFailures: positiveIntegerFromEnv(env, 'RATE_LIMIT_AUTH_FAILURES', 100),
      authFailureWindowSeconds: positiveIntegerFromEnv(env, 'RATE_LIMIT_AUTH_FAILURE_WINDOW_SECONDS', 60),
      redisPrefix: text(env, 'RATE_LIMIT_REDIS_PREFIX') ?? 'conversation-gateway:rate-limit',
    },
    requestTimeoutMs: durationMsFromEnv(env, 'REQUEST_TIMEOUT_MS', 30_000),
    maxOpenRequestsPerAccount: positiveIntegerFromEnv(env, 'MAX_OPEN_REQUESTS_PER_ACCOUNT', 100),
    introspection: flagFromEnv(env, 'GRAPHQL_INTROSPECTION', !production),
    fieldSuggestions: !production,
    corsOrigins: listFromEnv(env, 'CORS_ORIGINS') ?? [],
    credentialCheckMs: durationMsFromEnv(env, 'CREDENTIAL_CHECK_MS', 5000),
    messageLimits,
    pagingOrigin: {
      publicUrl: urlFromEnv(env, 'PUBLIC_URL', ['http:', 'https:'], 'https://api.example.com'),
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

function redisUrlFromEnv(env: Env): string | undefined {
  return urlFromEnv(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://host:6379');
}

/** The whole configuration from `env` (the process's environment unless given); throws `invalid_configuration` naming the first wrong variable. */
export function configurationFromEnv(env: Env = process.env): Configuration {
  const production = env.NODE_ENV === 'production';
  const metricsPort = portFromEnv(env, 'METRICS_PORT');
  return {
    production,
    database: {
      url: urlFromEnv(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgresql://user@host:5432/database'),
      dataDir: text(env, 'DATA_DIR') ?? './data',
    },
    databaseTimeouts: databaseTimeoutsFromEnv(env),
    redisUrl: redisUrlFromEnv(env),
    gateway: gatewaySettingsFromEnv(env),
    messageEvents: { maxSubscriptionsPerAccount: positiveIntegerFromEnv(env, 'MAX_SUBSCRIPTIONS_PER_ACCOUNT', 100) },
    log: { level: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info')!, format: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, undefined) },
    port: portFromEnv(env, 'PORT') ?? 4000,
    host: text(env, 'HOST') ?? '0.0.0.0',
    metrics: { enabled: flagFromEnv(env, 'METRICS', true), port: metricsPort },
    shutdownDrainMs: durationMsFromEnv(env, 'SHUTDOWN_DRAIN_MS', 10_000),
    graphiql: flagFromEnv(env, 'GRAPHIQL', !production),
    explorer: flagFromEnv(env, 'EXPLORER', true),
    trustedDocumentsFile: text(env, 'GRAPHQL_TRUSTED_DOCUMENTS'),
    retentionSweepIntervalMs: secondsFromEnv(env, 'RETENTION_SWEEP_INTERVAL_SECONDS', 3600),
  };
}
