import type { ServerResponse } from 'node:http';
import { StoreError } from '../../store/errors.js';
import { sendJson } from '../http.js';

/** A Twilio REST error: the HTTP status and Twilio's numeric code, as Twilio's own APIs send them. */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function twilioNotFound(path: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
}

function asTwilioError(error: unknown, path: string): TwilioError {
  if (error instanceof TwilioError) return error;
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'unauthenticated':
        return new TwilioError(401, 20003, `Authenticate: ${error.message}`);
      case 'not_found':
        return twilioNotFound(path);
      case 'invalid_cursor':
        return new TwilioError(400, 21481, error.message);
      case 'invalid_argument':
        return new TwilioError(400, 20001, error.message);
    }
  }
  console.error(error);
  return new TwilioError(500, 20500, 'Internal Server Error');
}

/** Sends `{code, message, more_info, status}` with the matching HTTP status. */
export function sendTwilioError(response: ServerResponse, error: unknown, path: string): void {
  const { status, code, message } = asTwilioError(error, path);
  sendJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}
