import RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * The `httpClient` that points Twilio's official helper library at a gateway:
 * `twilio(accountSid, authToken, { httpClient: requestClientFor('http://localhost:4000') })`.
 * The library has no base-URL option, so this client rewrites each request's origin (scheme, host
 * and port) to the gateway's, as a proxy in front of the gateway would; paths, query and
 * credentials are the library's own. Imported as `conversation-gateway/twilio`; `twilio` is the
 * caller's own dependency.
 */
export function requestClientFor(gatewayUrl: string): RequestClient {
  const gateway = new URL(gatewayUrl);
  class GatewayRequestClient extends RequestClient {
    override request<TData>(options: RequestClient.RequestOptions<TData>) {
      const uri = new URL(options.uri);
      uri.protocol = gateway.protocol;
      uri.host = gateway.host;
      return super.request({ ...options, uri: uri.toString() });
    }
  }
  return new GatewayRequestClient();
}
