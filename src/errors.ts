/**
 * What went wrong, in words a caller can act on. Every layer (store, models, importer, server)
 * raises this one type; each surface (GraphQL, Twilio, analytics, CLI) holds one exhaustive table
 * from code to its own error shape, so a new code does not compile until every surface answers it.
 */
export type ErrorCode =
  /** No such thing for this caller (another account's is "not found" too). */
  | 'not_found'
  /** A malformed or out-of-range argument; the message names the field. */
  | 'invalid_argument'
  /** A cursor or PageToken this API did not hand out, or not for this list. */
  | 'invalid_cursor'
  /** Missing or wrong credentials. */
  | 'unauthenticated'
  /** Valid credentials that may not do this. */
  | 'permission_denied'
  /** What is stored already says otherwise (a message id with other content, a name in use). */
  | 'conflict'
  /** An operation or input refused by a configured limit (cost, depth, sources per message…). */
  | 'limit_exceeded'
  /** A request body over the size limit. */
  | 'payload_too_large'
  /** A request body of a media type the route does not take (a form post to /graphql). */
  | 'unsupported_media_type'
  /** An HTTP method the route does not serve. */
  | 'method_not_allowed'
  /** Too many requests; retry after `retryAfterSeconds`. */
  | 'rate_limited'
  /** The database (or another part the request needs) is down or not answering; retry later. */
  | 'unavailable'
  /** The embedded database is held by another process. */
  | 'database_in_use'
  /** The gateway's own settings are wrong (DATABASE_URL, REDIS_URL…). */
  | 'invalid_configuration'
  /** A fault of ours; the message shown to a client is generic. */
  | 'internal';

export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For `rate_limited` and `unavailable`: when to try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

let faultReporter: (error: unknown) => void = (error) => console.error(error);

/** Where faults go (errors no domain code covers: a bug, a broken schema): standard error, unless the server sends them to its log. */
export function reportFaultsTo(report: (error: unknown) => void): void {
  faultReporter = report;
}

/** Reports a fault, once, where it is turned into an answer. */
export function reportFault(error: unknown): void {
  faultReporter(error);
}

/**
 * Anything thrown, as a GatewayError: a domain error as it is; anything else is a fault of ours,
 * reported here and shown to the client as `internal`.
 */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  reportFault(error);
  return new GatewayError('internal', 'The server could not complete the request');
}
