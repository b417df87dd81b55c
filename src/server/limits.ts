import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.js';

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError('payload_too_large', `The request body is over the limit of ${maxBytes} bytes`);
}

/**
 * The request body, refused with `payload_too_large` as soon as it (or its declared length) passes
 * `maxBytes`: nothing larger is ever held in memory. Node discards the rest of a refused body once
 * the answer is sent, so the client reads the answer rather than a reset connection.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    function stop() {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onClose);
      request.off('close', onClose);
    }
    function refuse(error: GatewayError) {
      stop();
      reject(error);
    }
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > maxBytes) refuse(tooLarge(maxBytes));
      else chunks.push(chunk);
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks, size));
    }
    // A client gone before the end: nobody is left to answer, but the promise must settle.
    function onClose() {
      refuse(new GatewayError('invalid_argument', 'The request body ended early'));
    }
    if (Number(request.headers['content-length']) > maxBytes) return refuse(tooLarge(maxBytes));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onClose);
    request.once('close', onClose);
  });
}

/** POST bodies a GraphQL client sends. A form or multipart body is what a cross-site page can send without a CORS preflight. */
const graphqlBodyTypes = new Set(['application/json', 'application/graphql+json']);

export function requireGraphQLBodyType(request: IncomingMessage): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (!graphqlBodyTypes.has(mediaType)) {
    throw new GatewayError(
      'unsupported_media_type',
      `POST /graphql takes a JSON body ("content-type: application/json"), not "${mediaType || 'no content-type'}"`,
    );
  }
}

/**
 * Work taken in turns per account: at most `perAccount` of one account's tasks run at once, the
 * rest wait in order. Whatever one account starts, others (and its own other requests) find the
 * database pool and the event loop free between its turns.
 */
export class TurnsPerAccount {
  private readonly accounts = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly perAccount: number) {}

  async run<T>(accountSid: string, task: () => Promise<T>): Promise<T> {
    let account = this.accounts.get(accountSid);
    if (!account) this.accounts.set(accountSid, (account = { running: 0, waiting: [] }));
    // A turn that ends hands itself to the next waiting task, so `running` counts turns, not tasks.
    if (account.running < this.perAccount) account.running++;
    else await new Promise<void>((resolve) => account.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = account.waiting.shift();
      if (next) next();
      else if (--account.running === 0) this.accounts.delete(accountSid);
    }
  }
}
