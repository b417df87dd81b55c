import { setTimeout as sleep } from 'node:timers/promises';

/** A credential as the three APIs take it: Bearer <secret> (GraphQL, analytics), Basic user:secret (Twilio). */
export interface Credential {
  /** The account sid for an auth token, the key sid for an API key. */
  user: string;
  secret: string;
}

/** The HTTP status each API answers the credential with: GraphQL, Twilio and analytics, in that order. */
export async function statusesOn(url: string, { user, secret }: Credential, sessionId: string): Promise<[number, number, number]> {
  const graphql = fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query: '{ account { sid } }' }),
  });
  const twilio = fetch(`${url}/v1/Sessions`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` } });
  const analytics = fetch(`${url}/api/v1/conversations/${encodeURIComponent(sessionId)}/messages`, { headers: { authorization: `Bearer ${secret}` } });
  const answers = await Promise.all([graphql, twilio, analytics]);
  await Promise.all(answers.map((answer) => answer.arrayBuffer()));
  return answers.map((answer) => answer.status) as [number, number, number];
}

/** Asks until all three APIs refuse the credential (401), or `withinMs` has passed; the last statuses seen. */
export async function untilRefused(url: string, credential: Credential, sessionId: string, withinMs: number): Promise<[number, number, number]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const statuses = await statusesOn(url, credential, sessionId);
    if (statuses.every((status) => status === 401) || Date.now() > deadline) return statuses;
    await sleep(100);
  }
}

/** How a stream ended, or "open" if it had not within `withinMs`. */
export function endedWithin(ended: Promise<'complete' | 'cut'>, withinMs: number): Promise<'complete' | 'cut' | 'open'> {
  return Promise.race([ended, sleep(withinMs, 'open' as const)]);
}
