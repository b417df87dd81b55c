import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createMetricsServer, createObservability } from '../src/server/observability.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { send, sendRaw } from './support/http.js';
import { subscribe } from './support/subscription.js';

// Requests a hostile review of the gateway found to crash it or to exhaust an account's limits.

const Append = gql(`
  mutation AppendToQuiet($sessionId: ID!) { appendMessages(sessionId: $sessionId, messages: [{ messageId: "m1", role: USER, text: "hi" }]) { messagesCreated } }
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

describe('subscriptions answered without a stream', () => {
  const fixture = useTestGateway();
  let alice: AccountCredentials;

  beforeAll(async () => {
    alice = await createAccount(fixture.db.prisma, 'Alice');
    await ensureSession(fixture.db.prisma, alice.accountSid, { sessionId: 'quiet' });
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
