// How the page talks to the gateway: persisted documents by hash over fetch, the subscription as
// Server-Sent Events read from a fetch stream (EventSource cannot send an Authorization header),
// and every failure turned into a sentence a person can act on.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** The credential of this browser tab: sessionStorage is the tab's alone and ends with it. */
const CREDENTIAL_KEY = 'conversation-explorer:credential';

export function storedCredential(): string | null {
  return sessionStorage.getItem(CREDENTIAL_KEY);
}

export function storeCredential(credential: string | null): void {
  if (credential) sessionStorage.setItem(CREDENTIAL_KEY, credential);
  else sessionStorage.removeItem(CREDENTIAL_KEY);
}

/** An auth token goes as a Bearer token; an API key `SK…:secret` (or `AC…:token`) as HTTP Basic. */
export function authorizationOf(credential: string): string {
  const trimmed = credential.trim();
  return trimmed.includes(':') ? `Basic ${btoa(trimmed)}` : `Bearer ${trimmed}`;
}

/** A failure to show: its sentence, and whether signing in again is the way out. */
export class ExplorerError extends Error {
  constructor(
    message: string,
    readonly unauthenticated = false,
  ) {
    super(message);
  }
}

interface ErrorBody {
  errors?: { message?: string; extensions?: { code?: string } }[];
  message?: string;
}

function sentenceFor(status: number, body: ErrorBody | null, retryAfter: string | null): ExplorerError {
  if (status === 401) return new ExplorerError('The gateway did not accept this auth token or API key. Check it and sign in again.', true);
  if (status === 429) return new ExplorerError(`Too many requests for now: try again${retryAfter ? ` in ${retryAfter} seconds` : ' shortly'}.`);
  if (status >= 500 || status === 0) return new ExplorerError('The gateway is unavailable right now. Try again in a moment.');
  const said = body?.errors?.[0]?.message ?? body?.message;
  return new ExplorerError(said ? `The gateway refused the request: ${said}` : `The gateway refused the request (HTTP ${status}).`);
}

async function send(path: string, credential: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { ...init.headers, authorization: authorizationOf(credential) } });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ExplorerError('The gateway could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw sentenceFor(response.status, body, response.headers.get('retry-after'));
  }
  return response;
}

/** The document's hash, which the client preset writes beside each document it lists. */
function documentIdOf(document: TypedDocumentNode<unknown, unknown>): string {
  return (document as unknown as { __meta__: { hash: string } }).__meta__.hash;
}

/** Runs a listed document by its hash; GraphQL errors come back as an ExplorerError with the gateway's sentence. */
export async function request<T, V>(credential: string, document: TypedDocumentNode<T, V>, variables: V, signal?: AbortSignal): Promise<T> {
  const response = await send('/graphql', credential, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ documentId: documentIdOf(document as TypedDocumentNode<unknown, unknown>), variables }),
    signal,
  });
  const body = (await response.json()) as { data?: T | null } & ErrorBody;
  if (body.errors?.length) throw sentenceFor(400, body, null);
  return body.data as T;
}

export interface Stream {
  close(): void;
}

/**
 * A subscription that stays open: when the connection drops it is opened again after a pause,
 * with the cursor `resumeFrom` gives (the last item received), so nothing is missed or repeated.
 * When the gateway answers it with an error (the session was deleted, say), that is reported and
 * the subscription is not asked for again: asking would be refused the same way every time.
 */
export function subscribe<T, V>(
  credential: string,
  document: TypedDocumentNode<T, V>,
  variables: (resume: boolean) => V,
  handlers: { next(data: T): void; error(error: ExplorerError): void },
): Stream {
  const controller = new AbortController();
  /** Reads one stream to its end; says whether the gateway refused the subscription. */
  const open = async (resume: boolean): Promise<boolean> => {
    const response = await send('/graphql', credential, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ documentId: documentIdOf(document as TypedDocumentNode<unknown, unknown>), variables: variables(resume) }),
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let refused = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return refused;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('event: next')) continue;
        const data = frame.split('\n').find((line) => line.startsWith('data:'));
        if (!data) continue;
        const payload = JSON.parse(data.slice(5)) as { data?: T } & ErrorBody;
        if (payload.errors?.length) {
          refused = true;
          handlers.error(sentenceFor(400, payload, null));
        }
        else if (payload.data) handlers.next(payload.data);
      }
    }
  };
  void (async () => {
    let resume = false;
    while (!controller.signal.aborted) {
      try {
        if (await open(resume)) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ExplorerError && error.unauthenticated) return handlers.error(error);
      }
      resume = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return { close: () => controller.abort() };
}

/** A REST answer as the API returns it, for a download. */
export async function restText(credential: string, path: string): Promise<string> {
  return (await send(path, credential, { headers: { accept: 'application/json' } })).text();
}

/** Whether the page may link to this URL: only the web's own schemes, never `javascript:` or `data:`. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
