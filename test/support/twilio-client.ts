import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * Twilio's official helper library, unchanged, pointed at a gateway: the library has no base-URL
 * option, so its HTTP client rewrites each request's origin, exactly as a proxy in front of the
 * gateway would.
 */
class GatewayRequestClient extends RequestClient {
  constructor(private readonly origin: string) {
    super();
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const uri = new URL(options.uri);
    const origin = new URL(this.origin);
    uri.protocol = origin.protocol;
    uri.host = origin.host;
    return super.request({ ...options, uri: uri.toString() });
  }
}

/** `username` is an account sid (with its auth token) or an API key sid (with its secret, and `accountSid`). */
export function twilioClient(origin: string, username: string, password: string, accountSid?: string) {
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
  return twilio(username, password, { accountSid, httpClient: new GatewayRequestClient(origin) });
}
