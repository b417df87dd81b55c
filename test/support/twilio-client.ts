import twilio from 'twilio';
import { requestClientFor } from '../../src/twilio-client.js';

/**
 * Twilio's official helper library, unchanged, pointed at a gateway through the client this
 * package exports. `username` is an account sid (with its auth token) or an API key sid (with its
 * secret, and `accountSid`).
 */
export function twilioClient(origin: string, username: string, password: string, accountSid?: string) {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  return twilio(username, password, { accountSid, httpClient: requestClientFor(origin) });
}
