import type { ServerResponse } from 'node:http';
import { asGatewayError, type ErrorCode } from '../../errors.js';
import { retryAfterHeaders, sendJson } from '../http.js';

/** Every domain error as the analytics API answers it: HTTP status and its error code. */
const analyticsErrorOf: Record<ErrorCode, { status: number; code: string }> = {
  not_found: { status: 404, code: 'resource_not_found' },
  invalid_argument: { status: 400, code: 'validation_error' },
  invalid_cursor: { status: 400, code: 'validation_error' },
  unauthenticated: { status: 401, code: 'authentication_error' },
  permission_denied: { status: 403, code: 'permission_denied' },
  conflict: { status: 409, code: 'validation_error' },
  limit_exceeded: { status: 400, code: 'validation_error' },
  payload_too_large: { status: 413, code: 'validation_error' },
  unsupported_media_type: { status: 415, code: 'validation_error' },
  method_not_allowed: { status: 405, code: 'validation_error' },
  rate_limited: { status: 429, code: 'rate_limit_exceeded' },
  unavailable: { status: 503, code: 'server_error' },
  database_in_use: { status: 503, code: 'server_error' },
  invalid_configuration: { status: 500, code: 'server_error' },
  internal: { status: 500, code: 'server_error' },
};

/** Sends `{"status": "error", "error": {code, message}}` with the matching HTTP status (and Retry-After when there is one). */
export function sendAnalyticsError(response: ServerResponse, error: unknown): void {
  // Answered already, at the request's deadline: the late work's failure has no one to reach.
  if (response.writableEnded) return;
  const known = asGatewayError(error);
  const { status, code } = analyticsErrorOf[known.code];
  sendJson(response, status, { status: 'error', error: { code, message: known.message } }, retryAfterHeaders(known.retryAfterSeconds));
}
