import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { runCli, startCli, type ServingCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { send } from './support/http.js';
import { subscribe } from './support/subscription.js';

// SIGTERM (or Ctrl-C) while requests are in flight and event streams are open: the requests are
// answered, the streams end with `complete`, and the process exits 0 within the drain deadline.

const Watch = gql(`subscription Watch($sessionId: ID!) { messageAdded(sessionId: $sessionId) { cursor } }`);

/** The drain deadline the gateways run with here (the default). */
const DRAIN_MS = 10_000;

function exitOf(gateway: ServingCli, withinMs: number): Promise<{ code: number | null }> {
  return new Promise((resolve, reject) => {
    if (gateway.child.exitCode !== null) return resolve({ code: gateway.child.exitCode });
    const timer = setTimeout(() => reject(new Error(`still running ${withinMs} ms later:\n${gateway.output()}`)), withinMs);
    gateway.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code });
    });
  });
}

async function untilOutput(gateway: ServingCli, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pattern.test(gateway.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${gateway.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A GraphQL POST whose body is held back: once the server has answered `100 Continue` it is
 * serving the request, which stays in flight until `send` is called.
 */
async function heldRequest(url: string, token: string, query: string) {
  const body = JSON.stringify({ query });
  let req!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = httpRequest(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}`, expect: '100-continue' },
    });
    req.on('response', resolve).on('error', reject);
    req.flushHeaders();
  });
  // A request never sent (the process is made to exit under it) has no answer to wait for.
  response.catch(() => {});
  await new Promise((resolve) => req.once('continue', resolve));
  return {
    async send() {
      req.end(body);
      const answer = await response;
      let text = '';
      for await (const chunk of answer) text += chunk;
      return { status: answer.statusCode, body: JSON.parse(text) };
    },
  };
}

describe('graceful shutdown', () => {
  let db: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: NodeJS.ProcessEnv;
  let token: string;

  beforeAll(async () => {
    env = { ...process.env, REDIS_URL: '' };
    if (process.env.DATABASE_URL) {
      db = await openTestDatabase();
      env.DATABASE_URL = db.url;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'cg-shutdown-'));
      env.DATA_DIR = dataDir;
    }
    token = JSON.parse((await runCli(['account', 'create'], env)).stdout).authToken;
  });

  afterAll(async () => {
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM: requests in flight complete, event streams receive `complete`, the process exits 0 within the drain deadline', async () => {
    const gateway = await startCli(env);
    try {
      await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation { createSession(sessionId: "open") { created } }' }),
      });
      const create = await heldRequest(gateway.url, token, 'mutation { createSession(sessionId: "created-while-draining") { created } }');
      const open = await Promise.all([subscribe(gateway.url, token, Watch, { sessionId: 'open' }), subscribe(gateway.url, token, Watch, { sessionId: 'open' })]);
      const append = await heldRequest(gateway.url, token, 'mutation { appendMessages(sessionId: "open", messages: [{ messageId: "late", role: USER, text: "in flight" }]) { messagesCreated } }');

      const exited = exitOf(gateway, DRAIN_MS + 5000);
      gateway.child.kill('SIGTERM');
      await untilOutput(gateway, /draining/);
      expect(await Promise.all(open.map((stream) => stream.ended))).toEqual(['complete', 'complete']);
      expect(await create.send()).toEqual({ status: 200, body: { data: { createSession: { created: true } } } });
      expect(await append.send()).toEqual({ status: 200, body: { data: { appendMessages: { messagesCreated: 1 } } } });
      expect(await exited).toEqual({ code: 0 });
    } finally {
      gateway.child.kill('SIGKILL');
    }
  });

  it('while draining, keeps answering: /ready 503, other requests served with `connection: close`', async () => {
    const gateway = await startCli(env);
    try {
      const held = await heldRequest(gateway.url, token, '{ sessions(first: 1) { totalCount } }');
      expect((await send(gateway.url, '/ready')).status).toBe(200);
      const exited = exitOf(gateway, DRAIN_MS + 5000);
      gateway.child.kill('SIGTERM');
      await untilOutput(gateway, /draining/);
      // A load balancer asking is told to send no more, rather than finding the port closed. (Each
      // asks on a connection of its own: the drain closes idle kept-alive ones, maybe as they are reused.)
      const ready = await send(gateway.url, '/ready', { ownConnection: true });
      expect([ready.status, ready.json, ready.headers['retry-after']]).toEqual([503, { status: 'unavailable', reason: 'shutting down' }, '5']);
      // A request that still arrives is served, and its connection closed after it.
      const late = await send(gateway.url, '/graphql', {
        ownConnection: true,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ sessions(first: 1) { totalCount } }' }),
      });
      expect(late.status).toBe(200);
      expect(late.headers.connection).toBe('close');
      expect((await held.send()).status).toBe(200);
      expect(await exited).toEqual({ code: 0 });
    } finally {
      gateway.child.kill('SIGKILL');
    }
  });

  it('logs a request still in flight when the drain time is over as cut at shutdown, not as answered', async () => {
    const gateway = await startCli({ ...env, SHUTDOWN_DRAIN_MS: '1000', LOG_LEVEL: 'info' });
    try {
      await heldRequest(gateway.url, token, '{ sessions(first: 1) { totalCount } }');
      gateway.child.kill('SIGTERM');
      expect(await exitOf(gateway, 10_000)).toEqual({ code: 0 });
      // The process may have exited before its last lines are read from its output.
      await untilOutput(gateway, /conversation-gateway stopped/);
      const lines = gateway
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"request"'))
        .map((line) => JSON.parse(line));
      expect(lines.filter((line) => line.route === '/graphql')).toEqual([expect.objectContaining({ method: 'POST', status: null, cut: 'shutdown' })]);
    } finally {
      gateway.child.kill('SIGKILL');
    }
  });

  it('a second signal exits at once, without waiting for the requests in flight', async () => {
    const gateway = await startCli(env);
    try {
      await heldRequest(gateway.url, token, '{ sessions(first: 1) { totalCount } }');
      gateway.child.kill('SIGINT');
      await untilOutput(gateway, /draining/);
      const exited = exitOf(gateway, DRAIN_MS - 2000);
      gateway.child.kill('SIGINT');
      expect(await exited).toEqual({ code: 1 });
    } finally {
      gateway.child.kill('SIGKILL');
    }
  });
});
