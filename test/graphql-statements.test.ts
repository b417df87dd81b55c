import { beforeAll, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount } from '../src/store/accounts.js';
import { graphql, testSettings, useTestGateway } from './support/gateway.js';
import { citesSources, fieldSelections } from './support/schema-fields.js';
import { createTimeline } from './support/timeline.js';

// The statements a request sends must not grow with the page size or with the number of sessions:
// the recorded SQL is the evidence, next to the GraphQL result.

const SessionPage = gql(`
  query SessionPage($session: ID!, $first: Int!) {
    session(id: $session) {
      messages(first: $first) {
        totalCount
        edges {
          node {
            __typename
            ... on ChatMessage { text sources { key text url title score } }
            ... on KnowledgeCall { sources { key title } }
            ... on Source { key }
          }
        }
      }
    }
  }
`);

const ManySessions = gql(`
  query ManySessions($sessions: Int!) {
    sessions(first: $sessions) {
      edges {
        node {
          sessionId
          messages(first: 10) {
            totalCount
            edges { node { __typename ... on ChatMessage { sources { key } } ... on KnowledgeCall { sources { key } } } }
          }
        }
      }
    }
  }
`);

// A page of 1000 messages with their sources costs some 7 million by the bound of `sources`:
// this file counts statements, so its gateway admits that.
// Credentials are read again only after the test: a re-read mid-test would count as one of the request's statements.
const fixture = useTestGateway({ settings: testSettings({ GRAPHQL_MAX_COST: '10000000', CREDENTIAL_CHECK_MS: '600000' }) });
let token: string;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 'long', 2000);
  for (let n = 0; n < 20; n++) await createTimeline(fixture.db.prisma, account.accountSid, `s${n}`, 30);
  // The first request authenticates the token with a statement; later ones find the account cached.
  expect((await graphql(fixture.gateway, token, '{ account { sid } }')).errors).toBeUndefined();
});

async function statementsFor<T>(request: () => Promise<{ data?: T | null; errors?: unknown }>) {
  fixture.db.statements.length = 0;
  const { data, errors } = await request();
  expect(errors).toBeUndefined();
  return { data: data!, statements: [...fixture.db.statements] };
}

it('sends as many statements for a page of 1000 with sources as for a page of 1', async () => {
  const one = await statementsFor(() => graphql(fixture.gateway, token, SessionPage, { session: 'long', first: 1 }));
  const thousand = await statementsFor(() => graphql(fixture.gateway, token, SessionPage, { session: 'long', first: 1000 }));
  expect(one.data.session!.messages.edges).toHaveLength(1);
  expect(thousand.data.session!.messages.edges).toHaveLength(1000);
  const cited = thousand.data.session!.messages.edges.filter((edge) => 'sources' in edge.node && edge.node.sources.length);
  expect(cited.length).toBeGreaterThan(250);
  expect(thousand.statements, thousand.statements.map((s) => s.replace(/\s+/g, " ").slice(0, 100) + " … " + s.slice(-300)).join("\n")).toHaveLength(one.statements.length);
  // the session with the page and its sources, then the count: a fixed handful however large the page.
  expect(thousand.statements.length).toBeLessThanOrEqual(2);
});

const FirstPage = gql(`
  query FirstPage($session: ID!, $first: Int!) {
    session(id: $session) {
      sessionId
      messages(first: $first) {
        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

const PageAfter = gql(`
  query PageAfter($session: ID!, $first: Int!, $after: String!) {
    session(id: $session) {
      sessionId
      messages(first: $first, after: $after) {
        edges { cursor node { __typename position ... on ChatMessage { text sources { key } } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

it('a page of a session, the first and one after a cursor, is one statement, run by graphql-js or compiled', async () => {
  // A document's first run is graphql-js's; the next ones are graphql-jit's.
  for (const run of ['graphql-js', 'graphql-jit']) {
    const first = await statementsFor(() => graphql(fixture.gateway, token, FirstPage, { session: 'long', first: 50 }));
    const edges = first.data.session!.messages.edges;
    expect(edges.map((edge) => edge.node.position)).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
    expect(edges.some((edge) => 'sources' in edge.node && edge.node.sources.length)).toBe(true);
    expect(first.statements, run).toHaveLength(1);

    const after = first.data.session!.messages.pageInfo.endCursor!;
    const next = await statementsFor(() => graphql(fixture.gateway, token, PageAfter, { session: 'long', first: 50, after }));
    expect(next.data.session!.messages.edges.map((edge) => edge.node.position)).toEqual(Array.from({ length: 50 }, (_, n) => n + 51));
    expect(next.statements, run).toHaveLength(1);
  }
});

it('sends no more statements for 20 sessions and their messages than for one', async () => {
  const one = await statementsFor(() => graphql(fixture.gateway, token, ManySessions, { sessions: 1 }));
  const twenty = await statementsFor(() => graphql(fixture.gateway, token, ManySessions, { sessions: 20 }));
  expect(twenty.data.sessions.edges).toHaveLength(20);
  for (const { node } of twenty.data.sessions.edges) {
    expect(node.messages.edges).toHaveLength(10);
    expect(node.messages.totalCount).toBeGreaterThan(10);
  }
  expect(twenty.statements.length).toBeLessThanOrEqual(one.statements.length);
});

it("loads every source's message, and every item's session, in one statement each", async () => {
  const Backlinks = gql(`
    query Backlinks($session: ID!) {
      session(id: $session) {
        messages(first: 1000, types: [SOURCE]) { edges { node { session { sessionId } ... on Source { message { __typename position } } } } }
      }
    }
  `);
  const { data, statements } = await statementsFor(() => graphql(fixture.gateway, token, Backlinks, { session: 'long' }));
  const edges = data.session!.messages.edges;
  expect(edges.length).toBeGreaterThan(500);
  for (const { node } of edges) {
    expect(node.session.sessionId).toBe('long');
    expect('message' in node && node.message.position).toBeGreaterThan(0);
  }
  // the session with its page, the sessions, the messages
  expect(statements).toHaveLength(3);
});

it('a request for 20 sessions with their first messages and sources costs two statements', async () => {
  const { statements } = await statementsFor(() => graphql(fixture.gateway, token, ManySessions, { sessions: 20 }));
  const withoutCounts = statements.filter((sql) => !sql.includes('count(*)'));
  // the sessions page, then the 20 message pages with their sources (and, as this query asks for totalCount, the 20 counts)
  expect(withoutCounts).toHaveLength(2);
  expect(statements).toHaveLength(3);
});

it('a page reads the optional columns its document names, through fragments and aliases, and leaves the others out', async () => {
  const pageStatement = (statements: string[]) => statements.find((sql) => sql.includes('CROSS JOIN LATERAL'))!;
  const lean = await statementsFor(() => graphql(fixture.gateway, token, SessionPage, { session: 'long', first: 5 }));
  // The columns of the page's rows (its sources' JSON holds the same): the query's own `session` reads no session of an item.
  const reads = (sql: string, column: string) => sql.includes(`sized."${column}"`);
  for (const column of ['content', 'meta', 'updatedAt', 'identity', 'toolName', 'createdAt', 'messageId', 'role', 'confidence', 'sessionPk', 'parentId']) expect(reads(pageStatement(lean.statements), column), column).toBe(false);
  for (const column of ['text', 'sourceKey', 'url', 'title', 'score']) expect(reads(pageStatement(lean.statements), column)).toBe(true);

  const Stored = gql(`
    query StoredColumns($session: ID!) {
      session(id: $session) { messages(first: 8) { edges { node { ...Stored } } } }
    }
    fragment Stored on Message {
      changed: updatedAt
      ... on ConversationMessage { body: content }
      ... on ToolCall { toolName }
    }
  `);
  const { data, statements } = await statementsFor(() => graphql(fixture.gateway, token, Stored, { session: 'long' }));
  const sql = pageStatement(statements);
  for (const column of ['content', 'updatedAt', 'toolName']) expect(reads(sql, column)).toBe(true);
  for (const column of ['meta', 'identity']) expect(reads(sql, column)).toBe(false);
  const nodes = data.session!.messages.edges.map((edge) => edge.node);
  expect(nodes.filter((node) => 'body' in node)).not.toHaveLength(0);
  for (const node of nodes) {
    expect(node.changed).toMatch(/^2025-01-01T/);
    if ('body' in node) expect(node.body).toEqual({ text: expect.stringMatching(/^message \d+$/) });
  }
  expect(nodes.some((node) => 'toolName' in node && node.toolName === 'lookup')).toBe(true);
});

const SessionsWithSummaries = gql(`
  query SessionsWithSummaries($first: Int!) {
    sessions(first: $first, orderBy: LAST_MESSAGE_AT_DESC, filter: { identity: "user:test", createdAfter: "2000-01-01T00:00:00Z" }) {
      totalCount
      edges {
        node {
          sessionId
          assistant { assistantId }
          summary { itemCount messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }
        }
      }
    }
  }
`);

const SearchPage = gql(`
  query SearchPage($first: Int!) {
    search(query: "message", first: $first) {
      totalCount
      edges {
        node {
          score
          snippet
          session { sessionId summary { itemCount } }
          item { __typename position ... on ChatMessage { text sources { key } } ... on KnowledgeCall { sources { key } } }
        }
      }
    }
  }
`);

it('a page of 50 sessions with their summaries costs what a page of 1 does: the page, its count, its assistants', async () => {
  for (let n = 0; n < 30; n++) await createTimeline(fixture.db.prisma, (await fixture.db.prisma.account.findFirstOrThrow()).sid, `extra${n}`, 3);
  const one = await statementsFor(() => graphql(fixture.gateway, token, SessionsWithSummaries, { first: 1 }));
  const fifty = await statementsFor(() => graphql(fixture.gateway, token, SessionsWithSummaries, { first: 50 }));
  expect(fifty.data.sessions.edges).toHaveLength(50);
  expect(fifty.data.sessions.totalCount).toBe(51);
  for (const { node } of fifty.data.sessions.edges) expect(node.summary.itemCount).toBeGreaterThan(0);
  expect(fifty.statements).toHaveLength(one.statements.length);
  expect(fifty.statements).toHaveLength(3);
});

it('a search page of 50 hits with their sessions, summaries and sources costs what a page of 1 does', async () => {
  const one = await statementsFor(() => graphql(fixture.gateway, token, SearchPage, { first: 1 }));
  const fifty = await statementsFor(() => graphql(fixture.gateway, token, SearchPage, { first: 50 }));
  expect(fifty.data.search.edges).toHaveLength(50);
  expect(fifty.data.search.edges[0]!.node.snippet).toContain('«message»');
  expect(fifty.statements).toHaveLength(one.statements.length);
  // the hits, their count, their sessions, their messages' sources
  expect(fifty.statements).toHaveLength(4);
});

it('every field of a message on a page answers alone what it answers next to all the others', async () => {
  // A page reads only the columns its document's fields need: a field whose resolver reads a
  // column the page left out would answer null, an empty string or an error when asked alone.
  const page = async (selection: string) => {
    const { data, errors } = await graphql<{ session: { messages: { edges: { node: unknown }[] } } }, never>(
      fixture.gateway,
      token,
      `{ session(id: "s0") { messages(first: 30) { edges { node { ${selection} } } } } }`,
    );
    expect(errors).toBeUndefined();
    return data!.session.messages.edges.map((edge) => edge.node);
  };
  const checked: string[] = [];
  for (const typeName of ['ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source']) {
    const fields = fieldSelections(typeName);
    const sourceFields = citesSources(typeName) ? fieldSelections('Source') : [];
    const everything = await page(`... on ${typeName} { ${fields.join(' ')} ${sourceFields.length ? `sources { ${sourceFields.join(' ')} }` : ''} }`);
    const ofType = (nodes: unknown[]) => nodes.filter((node) => Object.keys(node as object).length);
    expect(ofType(everything)).not.toHaveLength(0);
    for (const selection of fields) {
      const key = selection.split(' ')[0]!;
      const alone = await page(`... on ${typeName} { ${selection} }`);
      expect(ofType(alone), `${typeName}.${key}`).toEqual(ofType(everything).map((node) => ({ [key]: (node as Record<string, unknown>)[key] })));
      checked.push(`${typeName}.${key}`);
    }
    for (const selection of sourceFields) {
      const key = selection.split(' ')[0]!;
      const alone = await page(`... on ${typeName} { sources { ${selection} } }`);
      const expected = ofType(everything).map((node) => ({ sources: (node as { sources: Record<string, unknown>[] }).sources.map((each) => ({ [key]: each[key] })) }));
      expect(ofType(alone), `${typeName}.sources.${key}`).toEqual(expected);
      checked.push(`${typeName}.sources.${key}`);
    }
  }
  // The fields a page's columns feed, each checked: the test reaches them all.
  expect(checked).toEqual(expect.arrayContaining(['ChatMessage.role', 'ChatMessage.messageId', 'ChatMessage.session', 'Source.key', 'Source.message', 'ToolCall.toolName', 'ChatMessage.sources.title']));
});
