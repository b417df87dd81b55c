import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface Subscription<T> {
  /** Resolves with the next event's data; rejects as soon as the server sends an error instead, or after a generous `timeoutMs`. */
  next(timeoutMs?: number): Promise<T>;
  /** Events received so far and not taken by next(). */
  pending(): T[];
  /** Errors the server sent instead of data. */
  errors: unknown[];
  /** Settles when the stream ends: "complete" when the server ended it with a `complete` event, "cut" otherwise. */
  ended: Promise<'complete' | 'cut'>;
  close(): void;
}

/**
 * A GraphQL subscription over Server-Sent Events, as a browser's fetch would open it: POST with
 * `Accept: text/event-stream`, then `event: next` / `data: {…}` frames until closed.
 */
export async function subscribe<T, V>(url: string, token: string, document: TypedDocumentNode<T, V>, variables: V): Promise<Subscription<T>> {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables }),
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`subscription refused with ${response.status}: ${await response.text()}`);
  const received: T[] = [];
  const errors: unknown[] = [];
  let wake: (() => void) | undefined;
  let completed = false;
  const ended = (async (): Promise<'complete' | 'cut'> => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: complete')) completed = true;
          const data = frame.split('\n').find((line) => line.startsWith('data:'));
          if (!frame.startsWith('event: next') || !data) continue;
          const payload = JSON.parse(data.slice(5)) as { data?: T; errors?: unknown[] };
          if (payload.errors) errors.push(...payload.errors);
          if (payload.data) received.push(payload.data);
          wake?.();
        }
      }
    } catch {
      // closed
    }
    return completed ? 'complete' : 'cut';
  })();
  return {
    errors,
    ended,
    pending: () => received,
    async next(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!received.length) {
        if (errors.length) throw new Error(`the server sent errors: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`no event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return received.shift()!;
    },
    close: () => controller.abort(),
  };
}
