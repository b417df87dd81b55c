import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client address to connect from (any of 127.0.0.0/8 reaches a loopback listener). */
  localAddress?: string;
  /** A new connection (still asking to be kept alive) rather than one kept alive from an earlier request. */
  ownConnection?: boolean;
}

/**
 * One HTTP request with node:http, which (unlike fetch) can pick its client address and keeps the
 * answer when the server replies before it has read the whole body.
 */
export function send(url: string, path: string, { method = 'GET', headers = {}, body, localAddress, ownConnection }: SendOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = httpRequest(new URL(path, url), { method, headers, localAddress, ...(ownConnection ? { agent: new Agent({ keepAlive: true }) } : {}) }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      // 'close' comes however the answer ends, also when the server closes the connection while the body is still being sent.
      response.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode!, headers: response.headers, text, json: parseJson(text) });
      });
      response.on('error', () => undefined);
    });
    // The server may answer and stop reading before the body is sent: the answer is what counts.
    request.on('error', (error) => (answered ? undefined : reject(error)));
    request.end(body);
  });
}

/**
 * Writes raw bytes to the server and reads until it closes the connection: for request lines,
 * targets and headers no HTTP client would send (send `Connection: close` with a well-formed
 * one). Returns the status line's code (0 when the server closed without an answer) and the body.
 * The client does not half-close: Node's server takes that as the client going away.
 */
export function sendRaw(url: string, bytes: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: end < 0 ? '' : text.slice(end + 4) });
    });
    socket.setTimeout(60_000, () => socket.destroy());
    socket.write(bytes);
  });
}

export function basicAuth(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
}
