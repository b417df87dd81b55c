import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObservability } from '../src/server/observability.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { parsePrometheusText } from './support/prometheus.js';
import { createTimeline } from './support/timeline.js';

// A query run before is answered by its compiled form without Yoga (src/server/compiled-execution.ts).
// What a client sees must not change: every answer of the hot path is compared, byte for byte, with
// Yoga's answer to the same request, and GraphQL over HTTP's own audit passes round after round.

let db: TestDatabase;
let gateway: RunningGateway;
let trusted: RunningGateway;
let account: AccountCredentials;

const TRUSTED_ID = 'sha256:first-page';
const firstPage = 'query FirstPage($session: ID!, $first: Int, $after: String) { session(id: $session) { sessionId messages(first: $first, after: $after) { edges { cursor node { __typename position ... on ChatMessage { role text } } } pageInfo { hasNextPage endCursor } } } }';

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startGateway(db.prisma, { observability: createObservability() });
  trusted = await startGateway(db.prisma, { observability: createObservability(), trustedDocuments: new Map([[TRUSTED_ID, firstPage]]) });
  account = await createAccount(db.prisma, 'Known');
  await createTimeline(db.prisma, account.accountSid, 'known', 30);
}, 120_000);

afterAll(async () => {
  await trusted?.close();
  await gateway?.close();
  await db?.close();
});

async function knownRequests(server: RunningGateway): Promise<number> {
  return parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text()).get('gateway_graphql_known_document_requests_total') ?? 0;
}

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

async function post(server: RunningGateway, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.authToken}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** The request three times: on graphql-js, compiled within Yoga, then as a known document. Each answer must be the first's. */
async function thrice(server: RunningGateway, body: unknown, headers?: Record<string, string>): Promise<{ answer: Answer; known: number }> {
  const before = await knownRequests(server);
  const first = await post(server, body, headers);
  for (let run = 2; run <= 3; run++) expect(await post(server, body, headers), `run ${run} of ${JSON.stringify(body)}`).toEqual(first);
  return { answer: first, known: (await knownRequests(server)) - before };
}

describe('a query run before is answered without Yoga, as Yoga answers it', () => {
  it('its third run is a known document, with the same status, type and bytes', async () => {
    const { answer, known } = await thrice(gateway, { query: firstPage, variables: { session: 'known', first: 5 } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.session.messages.edges).toHaveLength(5);
    expect(known).toBe(1);
  });

  it('with each Accept it serves, the type Yoga negotiates', async () => {
    for (const accept of ['*/*', 'application/json', 'application/graphql-response+json', 'application/graphql-response+json, application/json', 'application/graphql-response+json, application/json;q=0.9']) {
      const { answer, known } = await thrice(gateway, { query: firstPage, variables: { session: 'known', first: 2 } }, { accept });
      expect(answer.contentType, accept).toBe(accept.startsWith('application/graphql-response+json') ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8');
      expect(known, accept).toBe(3);
    }
  });

  it('new variables each time: the page read is the request’s own', async () => {
    const pages = [];
    let after: string | null = null;
    for (let n = 0; n < 4; n++) {
      const answer = await post(gateway, { query: firstPage, variables: { session: 'known', first: 3, after } });
      const page = JSON.parse(answer.body).data.session.messages;
      pages.push(...page.edges.map((edge: { node: { position: number } }) => edge.node.position));
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual(Array.from({ length: 12 }, (_, n) => n + 1));
  });

  it('errors, not-found and other operations of one document answer as on Yoga', async () => {
    const two = 'query A { sessions(first: 1) { edges { node { sessionId } } } } query B { session(id: "known") { sessionId } }';
    const a = await thrice(gateway, { query: two, operationName: 'A' });
    const b = await thrice(gateway, { query: two, operationName: 'B' });
    expect(JSON.parse(a.answer.body).data).toHaveProperty('sessions');
    expect(JSON.parse(b.answer.body).data).toEqual({ session: { sessionId: 'known' } });
    // The document was seen by A's runs, so B's first run is already compiled and its next two are known.
    expect([a.known, b.known]).toEqual([1, 2]);

    const missing = await thrice(gateway, { query: firstPage, variables: { session: 'nowhere', first: 1 } });
    expect(JSON.parse(missing.answer.body)).toEqual({ data: { session: null } });

    // Errors take Yoga's path every time: masking, codes and status are Yoga's own.
    const badCursor = await thrice(gateway, { query: firstPage, variables: { session: 'known', first: 1, after: 'not-a-cursor' } });
    expect(JSON.parse(badCursor.answer.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badVariables = await thrice(gateway, { query: firstPage, variables: { session: 'known', first: 'many' } });
    expect(JSON.parse(badVariables.answer.body).errors[0].message).toMatch(/Variable "\$first"/);
    const overLimit = await thrice(gateway, { query: firstPage, variables: { session: 'known', first: 1_000_000 } });
    expect(JSON.parse(overLimit.answer.body).errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    expect([badCursor.known, badVariables.known, overLimit.known]).toEqual([0, 0, 0]);
  });

  it('bodies it does not plainly read go to Yoga, answered as before', async () => {
    const cases: unknown[] = [
      { query: firstPage, variables: { session: 'known', first: 1 }, extensions: {} },
      { query: firstPage, variables: { session: 'known', first: 1 }, unexpected: true },
      { query: firstPage, variables: 'not an object' },
      [{ query: firstPage, variables: { session: 'known', first: 1 } }],
      `{"query": ${JSON.stringify(firstPage)}, "variables": {"session": "known", "first": 1}`,
    ];
    for (const body of cases) expect((await thrice(gateway, body)).known, JSON.stringify(body)).toBe(0);
  });

  it('a body type Yoga does not read as JSON is answered as Yoga answers it, known or not', async () => {
    const body = { query: firstPage, variables: { session: 'known', first: 4 } };
    // Known from plain requests first.
    for (let run = 0; run < 3; run++) expect((await post(gateway, body)).status).toBe(200);
    // The boundary takes the media type in any case; Yoga's parser only as written.
    for (const type of ['Application/JSON', 'APPLICATION/JSON; charset=utf-8']) {
      const { answer, known } = await thrice(gateway, body, { 'content-type': type });
      expect(answer.status, type).toBe(415);
      expect(known, type).toBe(0);
    }
  });

  it('a known query whose result has errors is read once, not again by Yoga', async () => {
    // Credentials are read again only after the test: a re-read would count as one of a request's statements.
    const counting = await startGateway(db.prisma, { observability: createObservability(), settings: testSettings({ CREDENTIAL_CHECK_MS: '600000' }) });
    try {
      // A page, and beside it a session id no session could have: the answer has data and an error.
      const partly = 'query Partly($session: ID!) { session(id: $session) { messages(first: 20) { edges { node { position } } } } invalid: session(id: "a\\u0000b") { sessionId } }';
      const body = { query: partly, variables: { session: 'known' } };
      const statements: number[] = [];
      const answers: Answer[] = [];
      for (let run = 1; run <= 3; run++) {
        db.statements.length = 0;
        answers.push(await post(counting, body));
        statements.push(db.statements.length);
      }
      expect(JSON.parse(answers[2]!.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      // The same answer on every run, located as graphql-js locates an error, errors first.
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(JSON.parse(answers[2]!.body).errors[0].locations).toEqual([{ line: 1, column: 109 }]);
      // The first run on graphql-js, the second compiled within Yoga, the third as a known document.
      expect(statements[2], `statements per run: ${statements.join(', ')}`).toBe(statements[1]);
    } finally {
      await counting.close();
    }
  });

  it('under trusted documents, a document id becomes known; a query text never runs', async () => {
    const byId = await thrice(trusted, { documentId: TRUSTED_ID, variables: { session: 'known', first: 2 } });
    expect(JSON.parse(byId.answer.body).data.session.messages.edges).toHaveLength(2);
    expect(byId.known).toBe(1);
    const byText = await thrice(trusted, { query: firstPage, variables: { session: 'known', first: 2 } });
    expect(byText.answer.status).toBe(400);
    expect(byText.known).toBe(0);
  });
});

describe('GraphQL over HTTP', () => {
  it('every audit of graphql-http passes, round after round, as its documents become known', async () => {
    const fetchFn = (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${account.authToken}`);
      return fetch(input, { ...init, headers });
    };
    const before = await knownRequests(gateway);
    for (let round = 1; round <= 3; round++) {
      const results = await auditServer({ url: `${gateway.url}/graphql`, fetchFn });
      const failed = results.filter((result) => result.status !== 'ok').map((result) => `${result.id} ${result.name}: ${result.status}`);
      expect(failed, `round ${round}`).toEqual([]);
      expect(results).toHaveLength(61);
    }
    expect(await knownRequests(gateway)).toBeGreaterThan(before);
  });
});

describe('the known documents kept', () => {
  // 500 documents at most (and 8 MiB of their text): a tenant sending ever new documents pushes out
  // the ones no one is using, never one in use, and the cache holds no more than its bound.
  it('a document in use stays known while 600 others come and go; one unused since is pushed out', async () => {
    const own = await startGateway(db.prisma, { observability: createObservability() });
    try {
      const known = async (query: string) => {
        const before = await knownRequests(own);
        expect((await post(own, { query, variables: { session: 'known' } })).status).toBe(200);
        return (await knownRequests(own)) - before;
      };
      const document = (n: number) => `query Other${n}($session: ID!) { session(id: $session) { id${n}: sessionId } }`;
      const inUse = 'query InUse($session: ID!) { session(id: $session) { sessionId } }';
      // Two runs make a document known: graphql-js, then compiled within Yoga.
      await known(inUse);
      await known(inUse);
      await known(document(0));
      await known(document(0));
      expect(await known(document(0))).toBe(1);
      for (let n = 1; n <= 600; n++) {
        await post(own, { query: document(n), variables: { session: 'known' } });
        await post(own, { query: document(n), variables: { session: 'known' } });
        if (n % 100 === 0) expect(await known(inUse), `after ${n} others`).toBe(1);
      }
      expect(await known(inUse)).toBe(1);
      expect(await known(document(600))).toBe(1);
      // Unused since the first of the 600 came, it is no longer known: Yoga serves it, and it is known again after.
      expect(await known(document(0))).toBe(0);
      expect(await known(document(0))).toBe(1);
    } finally {
      await own.close();
    }
  }, 120_000);
});

describe('the cost limit on known documents', () => {
  // A known document's cost is computed once for each set of values of the variables it depends on
  // (first/last/ids, @skip/@include) and checked before it runs: a request over the limit is still
  // refused, as Yoga refuses it, whatever the same document cost before.
  it('refuses a known document over GRAPHQL_MAX_COST by its page size or an @include, as a first run is refused', async () => {
    // `sources` counts MAX_SOURCES_PER_MESSAGE (1000) a message: 5 messages cost 5,022, 6 cost 6,026.
    const limited = await startGateway(db.prisma, { observability: createObservability(), settings: testSettings({ GRAPHQL_MAX_COST: '6000' }) });
    const fresh = await startGateway(db.prisma, { observability: createObservability(), settings: testSettings({ GRAPHQL_MAX_COST: '6000' }) });
    try {
      const query = 'query Cost($session: ID!, $first: Int, $more: Boolean!) { session(id: $session) { messages(first: $first) { edges { node { position ... on ChatMessage { sources @include(if: $more) { key } } } } } } }';
      const ask = async (server: RunningGateway, variables: object) => {
        const before = await knownRequests(server);
        const answer = await post(server, { query, variables: { session: 'known', ...variables } });
        return { answer, known: (await knownRequests(server)) - before };
      };
      const within = { first: 5, more: false };
      expect((await thrice(limited, { query, variables: { session: 'known', ...within } })).known).toBe(1);
      for (const over of [{ first: 6, more: true }, { first: 500, more: false }, { more: false }]) {
        const refused = await ask(limited, over);
        expect(refused.known, JSON.stringify(over)).toBe(0);
        expect(refused.answer.status).toBe(200);
        expect(JSON.parse(refused.answer.body).errors[0].extensions.code, JSON.stringify(over)).toBe('LIMIT_EXCEEDED');
        // Byte for byte what another gateway answers once it has compiled the document (its first
        // run, on graphql-js, lays out a result with errors differently: see BENCHMARKS.md).
        await ask(fresh, over);
        expect(refused.answer, JSON.stringify(over)).toEqual((await ask(fresh, over)).answer);
      }
      const again = await ask(limited, within);
      expect(again.known).toBe(1);
      expect(JSON.parse(again.answer.body).data.session.messages.edges).toHaveLength(5);
      const withSources = await ask(limited, { first: 5, more: true });
      expect(withSources.known).toBe(1);
      expect(JSON.parse(withSources.answer.body).data.session.messages.edges).toHaveLength(5);
    } finally {
      await fresh.close();
      await limited.close();
    }
  });
});
