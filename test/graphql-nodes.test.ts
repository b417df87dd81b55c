import { beforeAll, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { decodeGlobalId, encodeGlobalId } from '../src/graphql/global-id.js';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { loadSealingKey } from '../src/store/sealing.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { createTimeline } from './support/timeline.js';

const Timeline = gql(`
  query Timeline($session: ID!) {
    session(id: $session) {
      id
      messages(first: 20) { edges { node { id __typename position } } }
    }
  }
`);

const Node = gql(`
  query Node($id: ID!) { node(id: $id) { id __typename ... on Message { position } } }
`);

const Nodes = gql(`
  query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }
`);

const Sessions = gql(`
  query SessionList { sessions(first: 10) { totalCount edges { node { sessionId } } } }
`);

const fixture = useTestGateway();
let alice: AccountCredentials;
let bob: AccountCredentials;

beforeAll(async () => {
  alice = await createAccount(fixture.db.prisma, 'Alice');
  bob = await createAccount(fixture.db.prisma, 'Bob');
  await createTimeline(fixture.db.prisma, alice.accountSid, 'shared-name', 12);
  await createTimeline(fixture.db.prisma, bob.accountSid, 'shared-name', 3);
  await createTimeline(fixture.db.prisma, bob.accountSid, 'bob-only', 3);
});

it('node(id) and nodes(ids) refetch every kind of timeline item and the session', async () => {
  const { data } = await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'shared-name' });
  const items = data!.session!.messages.edges.map((edge) => edge.node);
  expect(new Set(items.map((item) => item.__typename))).toEqual(new Set(['ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source']));
  for (const item of items) {
    const refetched = await graphql(fixture.gateway, alice.authToken, Node, { id: item.id });
    expect(refetched.data!.node).toEqual(item);
  }
  const all = await graphql(fixture.gateway, alice.authToken, Nodes, { ids: [data!.session!.id, ...items.map((item) => item.id)] });
  expect(all.data!.nodes).toEqual([
    { id: data!.session!.id, __typename: 'Session' },
    ...items.map(({ id, __typename }) => ({ id, __typename })),
  ]);
});

it('the same row id sealed as another type resolves to nothing', async () => {
  const { data } = await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'shared-name' });
  const chat = data!.session!.messages.edges.find((edge) => edge.node.__typename === 'ChatMessage')!.node;
  const sealingKey = await loadSealingKey(fixture.db.prisma);
  // The type is sealed with the row id, so relabelling an id takes the key; even with it, the row is no node of another type.
  const { typename, id } = decodeGlobalId(chat.id, { sealingKey });
  expect(typename).toBe('ChatMessage');
  for (const other of ['ToolCall', 'KnowledgeCall', 'Source']) {
    const forged = await graphql(fixture.gateway, alice.authToken, Node, { id: encodeGlobalId(other, id, { sealingKey }) });
    expect(forged).toEqual({ status: 200, data: { node: null } });
  }
});

it("each account reaches only its own sessions, through session, sessions, node and nodes", async () => {
  const aliceView = await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'shared-name' });
  const bobView = await graphql(fixture.gateway, bob.authToken, Timeline, { session: 'shared-name' });
  expect(aliceView.data!.session!.messages.edges).toHaveLength(12);
  expect(bobView.data!.session!.messages.edges).toHaveLength(3);

  expect((await graphql(fixture.gateway, alice.authToken, Timeline, { session: 'bob-only' })).data).toEqual({ session: null });

  const aliceList = await graphql(fixture.gateway, alice.authToken, Sessions, {});
  expect(aliceList.data!.sessions).toEqual({ totalCount: 1, edges: [{ node: { sessionId: 'shared-name' } }] });

  const bobIds = [bobView.data!.session!.id, ...bobView.data!.session!.messages.edges.map((edge) => edge.node.id)];
  for (const id of bobIds) {
    expect((await graphql(fixture.gateway, alice.authToken, Node, { id })).data).toEqual({ node: null });
    expect((await graphql(fixture.gateway, bob.authToken, Node, { id })).data!.node!.id).toBe(id);
  }
  expect((await graphql(fixture.gateway, alice.authToken, Nodes, { ids: bobIds })).data).toEqual({ nodes: bobIds.map(() => null) });
});
