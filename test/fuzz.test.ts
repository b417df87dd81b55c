import { METHODS } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import type { AccountCredentials } from '../src/store/accounts.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { openTestDatabase } from './support/database.js';
import { basicAuth, send, sendRaw, type HttpAnswer } from './support/http.js';

// Hostile input over real sockets, a few hundred cases in all: every answer is a 4xx (or a 2xx)
// in the shape of the API the path belongs to, never a 500 or a dropped connection, and the
// gateway keeps serving afterwards.
const RUNS = 80;

let gateway: RunningGateway;
let alice: AccountCredentials;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const db = await openTestDatabase();
  closeDb = () => db.close();
  alice = await seedDemo(db.prisma);
  // Most of these requests carry no credentials: the per-address limit on failures would turn them into 429s.
  gateway = await startGateway(db.prisma, { settings: testSettings({ RATE_LIMIT_AUTH_FAILURES: '1000000' }) });
});

afterAll(async () => {
  await gateway?.close();
  await closeDb?.();
});

async function expectServing(): Promise<void> {
  const answer = await send(gateway.url, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.authToken}` },
    body: JSON.stringify({ query: '{ session(id: "password-reset") { messages(first: 2) { edges { node { position } } } } }' }),
  });
  expect(answer.status).toBe(200);
  expect(answer.json.data.session.messages.edges).toHaveLength(2);
}

/**
 * The answer is one the API whose path it is would give: its own error shape as JSON, or a
 * success. `text` is null when the answer has no body to check (a HEAD request's).
 */
function expectShapeOf(path: string, status: number, text: string | null): void {
  expect(status, text ?? '').toBeGreaterThanOrEqual(200);
  expect(status, text ?? '').toBeLessThan(500);
  if (status < 300 || text === null) return;
  const body = parseJson(text) as any;
  expect(body, `a ${status} answer that is not JSON: ${JSON.stringify(text.slice(0, 200))}`).toBeDefined();
  if (path === '/graphql') {
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) expect(typeof error.extensions?.code).toBe('string');
  } else if (path.startsWith('/v1/')) {
    expect(body).toMatchObject({ code: expect.any(Number), message: expect.any(String), status });
  } else if (path.startsWith('/api/v1/')) {
    expect(body).toMatchObject({ status: 'error', error: { code: expect.any(String), message: expect.any(String) } });
  } else {
    expect(body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
}

/** The path the gateway routes a request target by; "/" when the target is no URL at all. */
function pathOf(target: string): string {
  try {
    return new URL(target, 'http://gateway').pathname;
  } catch {
    return '/';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const surfacePrefix = fc.constantFrom('/graphql', '/v1/Sessions/', '/api/v1/conversations/', '/', 'http://a:b:c/', 'http://x/graphql?', '*', '//');
const targetTail = fc.string({ unit: fc.constantFrom(...'abc%/?#&=:@[]{}\\\'" .~%2F%zz%E2%80%C0'.split('')), maxLength: 40 });

describe('fuzzing the gateway over real sockets', () => {
  it('answers malformed request lines, odd methods and odd targets in the shape of their surface', async () => {
    const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'), fc.stringMatching(/^[A-Z]{1,12}$/));
    await fc.assert(
      fc.asyncProperty(method, surfacePrefix, targetTail, fc.boolean(), async (verb, prefix, tail, authenticated) => {
        const target = `${prefix}${tail}`.replace(/[ #]/g, '');
        const auth = authenticated ? `Authorization: Bearer ${alice.authToken}\r\n` : '';
        const answer = await sendRaw(gateway.url, `${verb} ${target} HTTP/1.1\r\nHost: gateway\r\n${auth}Content-Length: 0\r\nConnection: close\r\n\r\n`);
        // A method Node's HTTP parser does not know is refused before any surface sees the request: the gateway's own shape.
        const path = METHODS.includes(verb) ? pathOf(target) : '/';
        expectShapeOf(path, answer.status, verb === 'HEAD' ? null : answer.body);
      }),
      { numRuns: RUNS },
    );
    await expectServing();
  });

  it('answers CONNECT, huge headers, bad request lines and bad percent-encoding without a 500', async () => {
    // The path whose shape each answer takes: "/" (the gateway's own) for what never becomes a request.
    const raw = [
      ['CONNECT gateway:443 HTTP/1.1\r\nHost: gateway\r\n\r\n', '/'],
      [`GET /graphql HTTP/1.1\r\nHost: gateway\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, '/'],
      ['GET /v1/Sessions/%E0%A4%A/Messages HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n', '/v1/Sessions/%E0%A4%A/Messages'],
      ['GET /api/v1/conversations/%/messages HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n', '/api/v1/conversations/%/messages'],
      ['NOT A REQUEST\r\n\r\n', '/'],
      ['GET / HTTP/9.9\r\n\r\n', '/'],
      ['\u0000\u0001\u0002\r\n\r\n', '/'],
    ];
    for (const [bytes, path] of raw) {
      const answer = await sendRaw(gateway.url, bytes!);
      expect(answer.status, bytes!.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expectShapeOf(path!, answer.status, answer.body);
    }
    await expectServing();
  });

  it('answers arbitrary GraphQL documents and JSON bodies with data or coded errors', async () => {
    const name = fc.constantFrom('session', 'sessions', 'messages', 'edges', 'node', 'sources', 'message', 'position', '__typename', 'text', 'nope', '__schema', 'types');
    const args = fc.constantFrom('', '(first: 1000)', '(last: -1)', '(id: "password-reset")', '(first: 1, after: "x")', '(id: 1)', '(types: [SOURCE])', '(first: 99999999999)');
    const selection = fc.letrec((tie) => ({
      field: fc.tuple(fc.option(fc.constantFrom('a:', 'b:', 'alias:'), { nil: '' }), name, args, fc.option(tie('set'), { nil: '' })).map((parts) => parts.join(' ')),
      fragment: fc.tuple(fc.constantFrom('ChatMessage', 'Source', 'KnowledgeCall', 'Session', 'Nope'), tie('set')).map(([type, set]) => `... on ${type} ${set}`),
      set: fc
        .array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('field'), tie('fragment')), { minLength: 1, maxLength: 4 })
        .map((items) => `{ ${(items as string[]).join(' ')} }`),
    }));
    const document = fc.oneof(
      selection.set,
      selection.set.map((set) => `mutation ${set}`),
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'{}()[]:$@!."#\n'.split('')), maxLength: 300 }),
    );
    const body = fc.oneof(
      fc.tuple(document, fc.option(fc.jsonValue())).map(([query, variables]) => JSON.stringify({ query, variables })),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await send(gateway.url, '/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.authToken}` },
          body: text,
        });
        expectShapeOf('/graphql', answer.status, answer.text);
        if (answer.status === 200 && answer.json.errors) for (const error of answer.json.errors) expect(typeof error.extensions?.code).toBe('string');
      }),
      { numRuns: RUNS * 2 },
    );
    await expectServing();
  });

  it('answers arbitrary Twilio and analytics paths and parameters in their own shapes', async () => {
    const segment = fc.oneof(fc.constantFrom('billing-late-fee', 'password-reset', 'voice:CA00000000000000000000000000000001', ''), fc.string({ maxLength: 30 }).map(encodeURIComponent));
    const parameter = fc.tuple(fc.constantFrom('PageSize', 'Page', 'PageToken', 'x'), fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.string({ maxLength: 20 })));
    const request = fc.tuple(
      fc.constantFrom('/v1/Sessions/{}/Messages', '/v1/Sessions/{}', '/v1/Sessions', '/api/v1/conversations/{}/messages', '/api/v1/analytics/conversations/{}/messages'),
      segment,
      fc.array(parameter, { maxLength: 3 }),
      fc.constantFrom('GET', 'POST', 'DELETE'),
      fc.constantFrom('basic', 'bearer', 'none', 'garbage'),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([template, id, parameters, method, auth]) => {
        const path = template.replace('{}', id);
        const search = new URLSearchParams(parameters).toString();
        const authorization = { basic: basicAuth(alice.accountSid, alice.authToken), bearer: `Bearer ${alice.authToken}`, none: '', garbage: 'Basic %%%' }[auth];
        const answer: HttpAnswer = await send(gateway.url, `${path}${search ? `?${search}` : ''}`, { method, headers: authorization ? { authorization } : {} });
        expectShapeOf(path, answer.status, answer.text);
      }),
      { numRuns: RUNS },
    );
    await expectServing();
  });
});
