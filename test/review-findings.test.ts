import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createMetricsServer, createObservability } from '../src/server/observability.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { ensureSession } from '../src/store/sessions.js';
import { openTestDatabase } from './support/database.js';
import { graphql, startGateway, testSettings, useTestGateway } from './support/gateway.js';
import { basicAuth, send, sendRaw } from './support/http.js';
import { subscribe } from './support/subscription.js';

// Requests a hostile review of the gateway found to crash it or to exhaust an account's limits.

const Append = gql(`
  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: "m1", role: USER, text: "hi" }]) { messagesCreated } }
`);
const AppendDeep = gql(`
  mutation AppendDeep($sessionId: ID!, $content: JSON!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: "deep", role: USER, content: $content }]) { messagesCreated } }
`);
const Watch = gql(`subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);

describe('the metrics port (METRICS_PORT)', () => {
  it('answers a request target that is not a path, and keeps serving', async () => {
    const server = createMetricsServer(createObservability());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answer = await sendRaw(url, 'GET http://[bad/metrics HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(answer.status).toBe(404);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('requests that reached past the boundary', () => {
  const fixture = useTestGateway();
  let alice: AccountCredentials;

  beforeAll(async () => {
    alice = await createAccount(fixture.db.prisma, 'Alice');
    await ensureSession(fixture.db.prisma, alice.accountSid, { sessionId: 'quiet' });
  });

  it('a Basic username no sid can be (a NUL in it) is 401 in the Twilio shape, not a database error', async () => {
    const answer = await send(fixture.gateway.url, '/v1/Sessions', { headers: { authorization: basicAuth('AC\u0000x', 'abc') } });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 20003, status: 401 });
  });

  it('a Host header that names no host is a 400 in the surface shape, on a path served without credentials too', async () => {
    const answer = await sendRaw(fixture.gateway.url, 'OPTIONS /graphql HTTP/1.1\r\nHost: [bad\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(answer.body).not.toContain('node_modules');
  });

  it('content nested deeper than 64 levels is BAD_USER_INPUT naming the field, not a stack overflow', async () => {
    const depth = 10_000;
    const variables = `{"sessionId": "quiet", "content": ${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}}`;
    const answer = await send(fixture.gateway.url, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.authToken}` },
      body: `{"query": ${JSON.stringify(print(AppendDeep))}, "variables": ${variables}}`,
    });
    expect(answer.json.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }), message: expect.stringMatching(/content\.a\.a.*nests more than 64 levels deep/) })]);
  });

  it("hold no place in the account's cap: 150 of them, then a stream is still accepted", async () => {
    const query = encodeURIComponent('subscription { messageAdded(sessionId: "quiet") { cursor } }');
    for (let n = 0; n < 150; n++) {
      const answer = await send(fixture.gateway.url, `/graphql?query=${query}`, { headers: { authorization: `Bearer ${alice.authToken}`, accept: 'application/json' } });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    const stream = await subscribe(fixture.gateway.url, alice.authToken, Watch, { sessionId: 'quiet' });
    try {
      const appended = await graphql(fixture.gateway, alice.authToken, Append, { sessionId: 'quiet' });
      expect(appended.data?.appendMessages.messagesCreated).toBe(1);
      expect((await stream.next()).messageAdded.cursor).toEqual(expect.any(String));
    } finally {
      stream.close();
    }
  });
});

describe('the request deadline', () => {
  it('holds a request that only asks for an event stream: a body that never arrives gets 503 at the deadline', async () => {
    const db = await openTestDatabase();
    const gateway = await startGateway(db.prisma, { settings: testSettings({ REQUEST_TIMEOUT_MS: '1000' }) });
    try {
      const alice = await createAccount(db.prisma, 'Alice');
      const request = [
        'POST /graphql HTTP/1.1',
        'Host: gateway',
        'Connection: close',
        'Content-Type: application/json',
        'Accept: text/event-stream',
        `Authorization: Bearer ${alice.authToken}`,
        'Content-Length: 100',
        '',
        '{"query":',
      ].join('\r\n');
      const answer = await sendRaw(gateway.url, request);
      expect(answer.status).toBe(503);
      expect(answer.head.toLowerCase()).toContain('retry-after');
    } finally {
      await gateway.close();
      await db.close();
    }
  });
});
