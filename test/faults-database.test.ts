import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMessageEvents } from '../src/live/message-events.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { databaseTimeoutsFromEnv } from '../src/config.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivateService } from './support/private-services.js';
import { createConversation } from './support/timeline.js';

// A PostgreSQL of the test's own, stopped and frozen under a gateway that keeps running. It does
// not depend on DATABASE_URL, so it runs in both passes of the suite.

/** The gateway's own deadline per request in this test. */
const REQUEST_TIMEOUT_MS = 3000;

interface Answer {
  surface: string;
  status: number;
  retryAfter: string | null;
  body: any;
}

describe.skipIf(privatePostgresMissing)(`a PostgreSQL that stops or freezes under the gateway${privatePostgresMissing ? ` (skipped: ${privatePostgresMissing})` : ''}`, () => {
  let postgres: PrivateService;
  let database: Database;
  let gateway: RunningGateway;
  let alice: AccountCredentials;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    // The server's own timeouts, at their defaults.
    database = await openDatabase({ url: postgres.url, timeouts: databaseTimeoutsFromEnv({}) });
    alice = await createAccount(database.prisma, 'Alice');
    await createConversation(database.prisma, alice.accountSid, 'chat', 5);
    gateway = await startGateway(database.prisma, { events: await openMessageEvents(), settings: testSettings({ REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }) });
  });

  afterAll(async () => {
    await gateway?.close();
    await database?.close();
    await postgres?.close();
  });

  /** One request on each API, answered before `withinMs` or failed. */
  function requestEverySurface(withinMs: number): Promise<Answer>[] {
    const basic = `Basic ${Buffer.from(`${alice.accountSid}:${alice.authToken}`).toString('base64')}`;
    const requests: [string, string, RequestInit][] = [
      [
        'graphql',
        '/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${alice.authToken}` },
          body: JSON.stringify({ query: '{ session(id: "chat") { messages(first: 5) { edges { node { position } } } } }' }),
        },
      ],
      ['twilio', '/v1/Sessions/chat/Messages?PageSize=5', { headers: { authorization: basic } }],
      ['analytics', '/api/v1/conversations/chat/messages', { headers: { authorization: `Bearer ${alice.authToken}` } }],
    ];
    return requests.map(async ([surface, path, init]) => {
      const response = await fetch(`${gateway.url}${path}`, { ...init, signal: AbortSignal.timeout(withinMs) });
      return { surface, status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
    });
  }

  function unavailableShape(answer: Answer) {
    const body = {
      graphql: { errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) })] },
      twilio: { code: 20503, status: 503, message: expect.any(String), more_info: 'https://www.twilio.com/docs/errors/20503' },
      analytics: { status: 'error', error: { code: 'server_error', message: expect.any(String) } },
    }[answer.surface];
    return { surface: answer.surface, status: 503, retryAfter: expect.stringMatching(/^\d+$/), body: expect.objectContaining(body!) };
  }

  function served(answer: Answer) {
    return { surface: answer.surface, status: 200, retryAfter: null, body: expect.anything() };
  }

  async function ready(withinMs: number) {
    const response = await fetch(`${gateway.url}/ready`, { signal: AbortSignal.timeout(withinMs) });
    return { status: response.status, body: await response.json() };
  }

  it('stopped under steady load: every request gets a 503 in its API’s shape within 5 s; once it is back the next request succeeds', async () => {
    for (const answer of await Promise.all(requestEverySurface(5000))) expect(answer).toEqual(served(answer));
    // Steady load: requests keep coming, a round on every API at a time, while the database stops.
    let stopped = false;
    let stopping = true;
    const duringOutage: Answer[] = [];
    const load = (async () => {
      while (stopping || !stopped) {
        const sentWhileStopped = stopped;
        const answers = await Promise.all(requestEverySurface(5000).map((answer) => answer.catch((error: Error) => ({ surface: 'none', status: 0, retryAfter: null, body: error.message }))));
        if (sentWhileStopped && stopped) duringOutage.push(...answers);
        if (duringOutage.length >= 15) stopping = false;
      }
    })();
    await postgres.stop();
    stopped = true;
    await load;
    expect(duringOutage.length).toBeGreaterThanOrEqual(15);
    for (const answer of duringOutage) expect(answer).toEqual(unavailableShape(answer));
    expect(await ready(2500)).toEqual({ status: 503, body: { status: 'unavailable', reason: expect.any(String) } });

    await postgres.start();
    for (const answer of await Promise.all(requestEverySurface(5000))) expect(answer).toEqual(served(answer));
    expect(await ready(2500)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('frozen: no request waits past the deadline, /ready answers 503 within seconds, and service resumes when it thaws', async () => {
    postgres.freeze();
    try {
      const answers = await Promise.all([...requestEverySurface(REQUEST_TIMEOUT_MS + 1500), ...requestEverySurface(REQUEST_TIMEOUT_MS + 1500)]);
      for (const answer of answers) expect(answer).toEqual(unavailableShape(answer));
      expect(await ready(2500)).toEqual({ status: 503, body: { status: 'unavailable', reason: expect.any(String) } });
    } finally {
      postgres.thaw();
    }
    // Connections that were frozen mid-statement are dropped by the pool, not handed out again.
    for (const answer of await Promise.all(requestEverySurface(10_000))) expect(answer).toEqual(served(answer));
    expect(await ready(2500)).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
