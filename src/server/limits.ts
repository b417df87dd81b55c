import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError('payload_too_large', `The request body is over the limit of ${maxBytes} bytes`);
}

/**
 * The request body, refused with `payload_too_large` as soon as it (or its declared length) passes
 * `maxBytes`: nothing larger is ever held in memory. Once refused, the rest of the body is left
 * unread and the connection is closed after the answer.
 */
export function readBody(request: IncomingMessage, response: ServerResponse, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const refuse = (error: GatewayError) => {
      stop();
      response.shouldKeepAlive = false;
      reject(error);
    };
    if (Number(request.headers['content-length']) > maxBytes) return refuse(tooLarge(maxBytes));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) refuse(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    // A client gone before the end: nobody is left to answer, but the promise must settle.
    const onClose = () => refuse(new GatewayError('invalid_argument', 'The request body ended early'));
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onClose);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onClose);
    request.once('close', onClose);
  });
}

/** POST bodies a GraphQL client sends. A form or multipart body is what a cross-site page can send without a CORS preflight. */
const graphqlBodyTypes = new Set(['application/json', 'application/graphql-response+json']);

export function requireGraphQLBodyType(request: IncomingMessage): void {
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (!graphqlBodyTypes.has(mediaType)) {
    throw new GatewayError(
      'unsupported_media_type',
      `POST /graphql takes a JSON body ("content-type: application/json"), not "${mediaType || 'no content-type'}"`,
    );
  }
}
