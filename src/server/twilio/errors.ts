import type { ServerResponse } from 'node:http';
import { asGatewayError, GatewayError, type ErrorCode } from '../../errors.js';
import { retryAfterHeaders, sendJson } from '../http.js';

/** Every domain error as Twilio's APIs answer it: HTTP status and Twilio error code (a limit is 20007, "page size too large"). */
const twilioErrorOf: Record<ErrorCode, { status: number; code: number }> = {
  not_found: { status: 404, code: 20404 },
  invalid_argument: { status: 400, code: 20001 },
  invalid_cursor: { status: 400, code: 21481 },
  unauthenticated: { status: 401, code: 20003 },
  permission_denied: { status: 403, code: 20403 },
  conflict: { status: 409, code: 20409 },
  limit_exceeded: { status: 400, code: 20007 },
  payload_too_large: { status: 413, code: 20413 },
  unsupported_media_type: { status: 415, code: 20415 },
  method_not_allowed: { status: 405, code: 20004 },
  rate_limited: { status: 429, code: 20429 },
  unavailable: { status: 503, code: 20503 },
  database_in_use: { status: 503, code: 20503 },
  invalid_configuration: { status: 500, code: 20500 },
  internal: { status: 500, code: 20500 },
};

/** Sends `{code, message, more_info, status}` with the matching HTTP status (and Retry-After when there is one). */
export function sendTwilioError(response: ServerResponse, error: unknown, path: string): void {
  const { status, code, message, retryAfterSeconds } = asTwilioError(error, path);
  sendJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, retryAfterHeaders(retryAfterSeconds));
}

function asTwilioError(error: unknown, path: string): { status: number; code: number; message: string; retryAfterSeconds?: number } {
  const known = asGatewayError(error);
  const { status, code } = twilioErrorOf[known.code];
  const message =
    known.code === 'not_found' ? `The requested resource ${path} was not found` : known.code === 'unauthenticated' ? `Authenticate: ${known.message}` : known.message;
  return { status, code, message, retryAfterSeconds: known.retryAfterSeconds };
}

export function twilioNotFound(path: string): GatewayError {
  return new GatewayError('not_found', `The requested resource ${path} was not found`);
}
