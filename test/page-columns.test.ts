import { parse } from 'graphql';
import { beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import { graphql, testSettings, useTestGateway } from './support/gateway.js';
import { citesSources, fieldSelections } from './support/schema-fields.js';
import { subscribe } from './support/subscription.js';
import { createTimeline } from './support/timeline.js';

// A page reads only the columns of the fields its document names (timeline-columns.ts). Each field
// of an item on a page must answer what it answers for the item loaded as a node: a whole row,
// read without that derivation (a document naming every field is no such reference, its pages
// reading only what the derivation finds). And whatever shape the document takes (fragments on
// interfaces, inline fragments without a type, aliases, directives, nodes, pages nested in an
// item's session, a subscription), it must answer what it answers when another root field of the
// same operation names every field, so that its pages read every column.

const fixture = useTestGateway({ settings: testSettings({ GRAPHQL_MAX_COST: '10000000' }) });
let token: string;
let ids: { chat: string; source: string };

const SOURCE_FIELDS = 'id key text url score title position accountSid createdAt updatedAt session { id } message { id }';
const EVERY_FIELD = `
fragment EveryField on Message {
  __typename id position accountSid createdAt updatedAt session { id }
  ... on ConversationMessage { messageId role identity assistantId text content meta origin }
  ... on ChatMessage { confidence sources { ${SOURCE_FIELDS} } }
  ... on KnowledgeCall { sources { ${SOURCE_FIELDS} } }
  ... on ToolCall { toolName }
  ... on Source { key text url score title message { id } }
}`;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 's0', 30);
  await createTimeline(fixture.db.prisma, account.accountSid, 's1', 30);
  const { data } = await graphql<{ session: { messages: { edges: { node: { __typename: string; id: string } }[] } } }, never>(
    fixture.gateway,
    token,
    '{ session(id: "s0") { messages(first: 30) { edges { node { __typename id } } } } }',
  );
  const nodes = data!.session.messages.edges.map((edge) => edge.node);
  ids = { chat: nodes.find((node) => node.__typename === 'ChatMessage')!.id, source: nodes.find((node) => node.__typename === 'Source')!.id };
});

/** `value` cut to the keys `shape` has, at every depth: what a document naming more fields answers for the ones `shape`'s document names. */
function cutTo(shape: unknown, value: unknown): unknown {
  if (Array.isArray(shape)) return shape.map((each, n) => cutTo(each, (value as unknown[] | undefined)?.[n]));
  if (shape && typeof shape === 'object') return Object.fromEntries(Object.keys(shape).map((key) => [key, cutTo((shape as Record<string, unknown>)[key], (value as Record<string, unknown> | undefined)?.[key])]));
  return value;
}

const documents: Record<string, string> = {
  'a fragment on an interface': 'query { session(id: "s0") { messages(first: 30) { edges { node { ...Conversation } } } } } fragment Conversation on ConversationMessage { identity origin role messageId }',
  'inline fragments without a type condition': 'query { session(id: "s0") { messages(first: 30) { edges { node { ... { createdAt } ... on ChatMessage { ... { content confidence } } } } } } }',
  aliases: 'query { session(id: "s0") { messages(first: 30) { edges { node { c: createdAt ... on ChatMessage { t: text s: sources { u: url k: key } } } } } } }',
  "a node's sources, the message on a page too": 'query { node(id: CHAT) { ... on ChatMessage { sources { url title score } } } session(id: "s0") { messages(first: 30) { edges { node { id } } } } }',
  "a page's messages' sources, then a node's": 'query { session(id: "s0") { messages(first: 30) { edges { node { id ... on ChatMessage { sources { key } } } } } } node(id: CHAT) { ... on ChatMessage { sources { url title score text } } } }',
  "a source node's message's sources": 'query { node(id: SOURCE) { ... on Source { message { ... on ChatMessage { sources { url } } ... on KnowledgeCall { sources { title } } } } } session(id: "s0") { messages(first: 30) { edges { node { ... on KnowledgeCall { sources { id } } ... on ChatMessage { sources { id } } } } } } }',
  "a page in an item's session": 'query { session(id: "s0") { messages(first: 3) { edges { node { session { messages(first: 30) { edges { node { ... on ToolCall { toolName } } } } } } } } } }',
  "a session list's pages": 'query { sessions(first: 5) { edges { node { identity messages(first: 30) { edges { node { ... on ChatMessage { meta } } } } } } } }',
  directives: 'query { session(id: "s0") { messages(first: 30) { edges { node { updatedAt @include(if: true) ... on Source @skip(if: false) { title } } } } } }',
  'a fragment spread from two roots': 'query { sessions(first: 2) { edges { node { ...Calls } } } session(id: "s0") { ...Calls } } fragment Calls on Session { messages(first: 30) { edges { node { ... on KnowledgeCall { assistantId sources { score } } } } } }',
  'only __typename': 'query { session(id: "s0") { identity messages(first: 30) { edges { cursor node { __typename } } } } }',
  "a page's sources' message": 'query { session(id: "s0") { messages(first: 30) { edges { node { ... on Source { message { ... on ChatMessage { text sources { url } } } } } } } } }',
  "an item's session": 'query { session(id: "s0") { messages(first: 30) { edges { node { session { identity sessionId } } } } } }',
  'a fragment on Node': 'query { session(id: "s0") { messages(first: 30) { edges { node { ... on Node { id ... on Source { key url } } } } } } }',
  'search hits next to a page': 'query { search(query: "message", first: 5) { edges { node { item { ... on ChatMessage { text sources { url } } } } } } session(id: "s0") { messages(first: 30) { edges { node { id } } } } }',
};

for (const [shape, text] of Object.entries(documents)) {
  it(`a page answers ${shape} as it does reading every column, compiled or not`, async () => {
    const document = text.replaceAll('CHAT', JSON.stringify(ids.chat)).replaceAll('SOURCE', JSON.stringify(ids.source));
    const everyColumn = document.replace('{', '{ everyColumn: session(id: "s1") { messages(first: 30) { edges { node { ...EveryField } } } } ') + EVERY_FIELD;
    const expected = await graphql<Record<string, unknown>, never>(fixture.gateway, token, everyColumn);
    expect(expected.errors).toBeUndefined();
    delete expected.data!.everyColumn;
    // Run three times: a document run before is compiled (graphql-jit), and then answered as a known one.
    for (let run = 0; run < 3; run++) {
      const answered = await graphql<Record<string, unknown>, never>(fixture.gateway, token, document);
      expect(answered.errors, `run ${run}`).toBeUndefined();
      expect(answered.data, `run ${run}`).toEqual(expected.data);
    }
  });
}

it("a subscription's items and the pages of their session answer as they do reading every column", async () => {
  const { data } = await graphql<{ session: { messages: { edges: { cursor: string }[] } } }, never>(fixture.gateway, token, '{ session(id: "s0") { messages(first: 1) { edges { cursor } } } }');
  const after = data!.session.messages.edges[0]!.cursor;
  const lean = 'subscription ($after: String) { messageAdded(sessionId: "s0", after: $after) { message { __typename ... on ChatMessage { text sources { url } } session { messages(first: 5) { edges { node { ... on Source { title key } ... on ChatMessage { role } } } } } } } }';
  const everyColumn = lean.replace('message {', 'message { ...EveryField ') + EVERY_FIELD;
  const named = await subscribe<Record<string, unknown>, { after: string }>(fixture.gateway.url, token, parse(lean), { after });
  const every = await subscribe<Record<string, unknown>, { after: string }>(fixture.gateway.url, token, parse(everyColumn), { after });
  try {
    for (let n = 0; n < 10; n++) {
      const answered = await named.next();
      expect(answered).toEqual(cutTo(answered, await every.next()));
    }
    expect(named.errors).toEqual([]);
  } finally {
    named.close();
    every.close();
  }
});

it('every field of every item on a page answers what it answers for the item as a node, read whole', async () => {
  const selectionsOf = (typeName: string): string[] => [
    ...fieldSelections(typeName),
    ...(citesSources(typeName) ? fieldSelections('Source').map((selection) => `sources { ${selection} }`) : []),
  ];
  type Nodes = { id: string }[];
  const page = await graphql<{ session: { messages: { edges: { node: { id: string } }[] } } }, never>(fixture.gateway, token, '{ session(id: "s0") { messages(first: 30) { edges { node { id } } } } }');
  const itemIds = page.data!.session.messages.edges.map((edge) => JSON.stringify(edge.node.id)).join(', ');
  const checked: string[] = [];
  for (const typeName of ['ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source']) {
    for (const selection of selectionsOf(typeName)) {
      const onPage = await graphql<{ session: { messages: { edges: { node: Nodes[number] }[] } } }, never>(
        fixture.gateway,
        token,
        `{ session(id: "s0") { messages(first: 30) { edges { node { id ... on ${typeName} { ${selection} } } } } } }`,
      );
      const asNodes = await graphql<{ nodes: Nodes }, never>(fixture.gateway, token, `{ nodes(ids: [${itemIds}]) { id ... on ${typeName} { ${selection} } } }`);
      expect(onPage.errors, `${typeName} ${selection}`).toBeUndefined();
      expect(asNodes.errors, `${typeName} ${selection}`).toBeUndefined();
      expect(onPage.data!.session.messages.edges.map((edge) => edge.node), `${typeName} ${selection}`).toEqual(asNodes.data!.nodes);
      checked.push(`${typeName} ${selection}`);
    }
  }
  expect(checked).toEqual(expect.arrayContaining(['ChatMessage sources { url }', 'Source message { id }', 'ToolCall toolName', 'KnowledgeCall session { id }']));
});
