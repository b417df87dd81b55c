import type { MessageLimits } from '../models/validation.js';

/** What the gateway will accept, and how much it shows (read from the environment by src/config.ts). */
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
  /**
   * How long an accepted credential is trusted before it is read again, and how often the
   * credentials of open streams are checked: a revoked key or rotated token is refused, and its
   * streams end, within this even when no notice of the change arrives.
   */
  credentialCheckMs: number;
  /** What one message may hold, on every way in. */
  messageLimits: MessageLimits;
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
  /** Prefix of the limiters' Redis keys: gateways sharing counters use the same one. */
  redisPrefix: string;
}
