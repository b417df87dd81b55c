import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { loggedLines, startCli, until, useCliDatabase, type ServingCli } from './support/cli.js';
import { basicAuth } from './support/http.js';

// Erasure reaches the tables, never the log files already written: a request's log line names the
// route it took, not the session id or name in its path, the query string, or a GraphQL
// operation's variables. Every line the gateway process writes is checked, not only request lines.

const SESSION_ID = 'voice:CAloggedcall0123456789abcdef';
const NAME = 'Quokka Private Call';
const IDENTITY = 'user:alice.quokka@example.com';
const TEXT = 'Please ship the parcel to Zanzibar';
const SEARCH = 'zanzibar';
/** What no line may hold (compared case-blind), in any encoding a URL gives it. */
const PERSONAL = ['caloggedcall0123456789abcdef', 'quokka', 'zanzibar', 'parcel'];

const Opened = gql(`
  mutation Opened($sessionId: String!, $name: String!, $identity: String!) {
    createSession(sessionId: $sessionId, name: $name, identity: $identity) { created }
  }
`);
const Told = gql(`
  mutation Told($sessionId: ID!, $identity: String!, $text: String!) {
    appendMessages(sessionId: $sessionId, messages: [{ messageId: "m1", role: USER, text: $text, identity: $identity }]) { messagesCreated }
  }
`);
const Searched = gql(`query Searched($query: String!) { search(query: $query, first: 5) { edges { node { snippet } } } }`);
const Deleted = gql(`mutation Deleted($sessionId: ID!) { deleteSession(sessionId: $sessionId) { messagesDeleted } }`);
const Erased = gql(`mutation Erased($identity: String!) { eraseIdentity(identity: $identity) { sessionsDeleted } }`);

const database = useCliDatabase('request-log');
let gateway: ServingCli;

beforeAll(async () => {
  gateway = await startCli({ ...database.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
});

afterAll(async () => {
  await gateway?.stop();
});

it('names the route of each request, never the session id, name, identity, query string or variables, before and after erasure', async () => {
  const { accountSid, authToken } = database.account;
  /** The request id of each request sent, in order. */
  const sent: string[] = [];
  const get = async (path: string, authorization = basicAuth(accountSid, authToken)) => {
    const response = await fetch(`${gateway.url}${path}`, { headers: { authorization } });
    await response.arrayBuffer();
    sent.push(response.headers.get('x-request-id')!);
    return response.status;
  };
  const post = async <T, V>(document: TypedDocumentNode<T, V>, variables: V) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${authToken}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    expect(body.errors).toBeUndefined();
    sent.push(response.headers.get('x-request-id')!);
    return body.data!;
  };
  const id = SESSION_ID;
  const query = `?PageSize=5&Identity=${encodeURIComponent(IDENTITY)}&q=${SEARCH}`;
  const bearer = `Bearer ${authToken}`;
  const reads = async () => [
    await get(`/v1/Sessions/${id}`),
    await get(`/v1/Sessions/${id}/Messages${query}`),
    await get(`/v1/Sessions/${encodeURIComponent(NAME)}/Messages`),
    await get(`/api/v1/conversations/${encodeURIComponent(id)}/messages${query}`, bearer),
    await get(`/api/v1/analytics/conversations/${id}/messages`, bearer),
  ];

  expect(await post(Opened, { sessionId: id, name: NAME, identity: IDENTITY })).toEqual({ createSession: { created: true } });
  expect(await post(Told, { sessionId: id, identity: IDENTITY, text: TEXT })).toEqual({ appendMessages: { messagesCreated: 1 } });
  expect((await post(Searched, { query: SEARCH })).search.edges).toHaveLength(1);
  const variables = encodeURIComponent(JSON.stringify({ query: SEARCH }));
  expect(await get(`/graphql?query=${encodeURIComponent(print(Searched))}&variables=${variables}`, bearer)).toBe(200);
  expect(await get(`/v1/Sessions${query}`)).toBe(200);
  expect(await reads()).toEqual([200, 200, 200, 200, 200]);
  // A path no route takes (Session for Sessions) is logged without it as well.
  expect(await get(`/v1/Session/${id}/Messages${query}`)).toBe(404);
  expect(await post(Deleted, { sessionId: id })).toEqual({ deleteSession: { messagesDeleted: 1 } });
  expect(await post(Erased, { identity: IDENTITY })).toEqual({ eraseIdentity: { sessionsDeleted: 0 } });
  expect(await reads()).toEqual([404, 404, 404, 404, 404]);

  const requestLines = () => loggedLines(gateway, 'request');
  await until(() => sent.every((requestId) => requestLines().some((line) => line.requestId === requestId)), 'a log line for every request', 10_000);
  const leaks = gateway
    .output()
    .split('\n')
    .filter((line) => PERSONAL.some((word) => line.toLowerCase().includes(word)));
  expect(leaks).toEqual([]);

  const lines = requestLines();
  const lineOf = (requestId: string) => lines.find((line) => line.requestId === requestId);
  const route = (method: string, route: string | null, surface: string, operation: string, status: number) => ({
    msg: 'request',
    method,
    route,
    surface,
    operation,
    accountSid,
    status,
    durationMs: expect.any(Number),
  });
  const twilioReads = (status: number) => [
    route('GET', '/v1/Sessions/{sessionId}', 'twilio', 'session.fetch', status),
    route('GET', '/v1/Sessions/{sessionId}/Messages', 'twilio', 'messages.list', status),
    route('GET', '/v1/Sessions/{sessionId}/Messages', 'twilio', 'messages.list', status),
    route('GET', '/api/v1/conversations/{sessionId}/messages', 'analytics', 'messages.list', status),
    route('GET', '/api/v1/analytics/conversations/{sessionId}/messages', 'analytics', 'messages.list', status),
  ];
  const expected = [
    route('POST', '/graphql', 'graphql', 'mutation', 200),
    route('POST', '/graphql', 'graphql', 'mutation', 200),
    route('POST', '/graphql', 'graphql', 'query', 200),
    route('GET', '/graphql', 'graphql', 'query', 200),
    route('GET', '/v1/Sessions', 'twilio', 'sessions.list', 200),
    ...twilioReads(200),
    route('GET', null, 'twilio', 'none', 404),
    route('POST', '/graphql', 'graphql', 'mutation', 200),
    route('POST', '/graphql', 'graphql', 'mutation', 200),
    ...twilioReads(404),
  ];
  expect(sent.map(lineOf)).toMatchObject(expected);
  for (const line of lines) expect(line).not.toHaveProperty('path');
});
