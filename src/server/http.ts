import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import type { PagingOriginSettings } from './settings.js';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Answered already, at the request's deadline: the work that finished late has no one to tell.
  if (response.writableEnded) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function retryAfterHeaders(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'retry-after': String(seconds) };
}

/**
 * Where the client reached us, for links it will follow: the configured public URL (behind a
 * proxy), else the request's Host when the operator allows it. Any other Host is the client's say
 * alone (a link built on it could send the next request, and its credentials, elsewhere), so the
 * links name the address the connection reached instead.
 */
export function requestOrigin(request: IncomingMessage, { publicUrl, allowedHosts }: PagingOriginSettings): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = request.headers.host;
  if (host && (!allowedHosts || allowedHosts.includes(host.toLowerCase()))) return `http://${host}`;
  const { localAddress = '127.0.0.1', localPort } = request.socket;
  return `http://${isIPv6(localAddress) ? `[${localAddress}]` : localAddress}:${localPort}`;
}

/** A path segment as its id: percent-decoded, or null when it does not decode. */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The request's path, or null when its target is not one (an absolute-form URL with a bad host,
 * say). `new URL` throws on such targets, and a throw here would end the process.
 */
export function pathOf(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://gateway');
  } catch {
    return null;
  }
}

/** Whether the Host header, when there is one, names a host: Yoga builds each request's URL from it. */
export function hasValidHost(request: IncomingMessage): boolean {
  return request.headers.host === undefined || URL.canParse(`http://${request.headers.host}`);
}

/** Whether a connection comes from this machine: what the demo token is offered to. */
export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
}
