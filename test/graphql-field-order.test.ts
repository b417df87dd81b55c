import { beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { createTimeline } from './support/timeline.js';

// The GraphQL spec orders a response's keys as the query selects its fields: fragments and inline
// fragments are expanded where they stand, a key selected twice keeps its first place. JSON keys
// are read back in the order they were written, so these assertions see the response as sent.

const Ordered = `
  query Ordered($session: ID!) {
    zeta: account { sid }
    session(id: $session) {
      ...SessionFields
      sessionId
      messages(first: 12) {
        pageInfo { endCursor hasNextPage }
        edges {
          node {
            ... on ChatMessage { text confidence }
            position
            __typename
            ... on Source { url key }
            ...Identified
            createdAt
            later: position
            ... on ChatMessage { sources { title key text } role }
          }
          cursor
        }
      }
      name
    }
    alpha: account { name }
  }
  fragment SessionFields on Session { verified identity }
  fragment Identified on ConversationMessage { messageId text }
`;

const keysOfNode: Record<string, string[]> = {
  ChatMessage: ['text', 'confidence', 'position', '__typename', 'messageId', 'createdAt', 'later', 'sources', 'role'],
  ToolCall: ['position', '__typename', 'messageId', 'text', 'createdAt', 'later'],
  KnowledgeCall: ['position', '__typename', 'messageId', 'text', 'createdAt', 'later'],
  Source: ['position', '__typename', 'url', 'key', 'createdAt', 'later'],
};

interface Node {
  __typename: string;
  sources?: object[];
}

const fixture = useTestGateway();
let token: string;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 'ordered', 12);
});

// A document's first run is executed by graphql-js, later ones by its compiled form: both are held to it.
it.each(['first', 'second', 'third'])('orders every object’s keys as the query selects them on the %s run: aliases, named and inline fragments, repeated fields', async () => {
  const { data, errors } = await graphql<Record<string, unknown>, { session: string }>(fixture.gateway, token, Ordered, { session: 'ordered' });
  expect(errors).toBeUndefined();
  expect(Object.keys(data!)).toEqual(['zeta', 'session', 'alpha']);
  const session = data!.session as { messages: { pageInfo: object; edges: { node: Node }[] } };
  expect(Object.keys(session)).toEqual(['verified', 'identity', 'sessionId', 'messages', 'name']);
  expect(Object.keys(session.messages)).toEqual(['pageInfo', 'edges']);
  expect(Object.keys(session.messages.pageInfo)).toEqual(['endCursor', 'hasNextPage']);
  const nodes = session.messages.edges.map((edge) => {
    expect(Object.keys(edge)).toEqual(['node', 'cursor']);
    return edge.node;
  });
  // Every kind of item is on the page, and a cited source.
  expect(new Set(nodes.map((node) => node.__typename))).toEqual(new Set(Object.keys(keysOfNode)));
  const sources = nodes.flatMap((node) => node.sources ?? []);
  expect(sources.length).toBeGreaterThan(0);
  for (const node of nodes) expect(Object.keys(node)).toEqual(keysOfNode[node.__typename]);
  for (const source of sources) expect(Object.keys(source)).toEqual(['title', 'key', 'text']);
});
