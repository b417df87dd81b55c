import type { ResultOf, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql as gql } from './documents/index.js';
import { createAccount } from '../src/store/accounts.js';
import { graphql, useTestGateway } from './support/gateway.js';
import { createTimeline } from './support/timeline.js';

const ForwardPage = gql(`
  query ForwardPage($session: ID!, $first: Int, $after: String) {
    session(id: $session) {
      messages(first: $first, after: $after) {
        edges { cursor node { __typename position } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`);

const BackwardPage = gql(`
  query BackwardPage($session: ID!, $last: Int, $before: String) {
    session(id: $session) {
      messages(last: $last, before: $before) {
        edges { cursor node { __typename position } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`);

type Page = NonNullable<ResultOf<typeof ForwardPage>['session']>['messages'];

// Every page size walks a whole timeline both ways; small pages walk a short one, so the suite
// proves the property in a few hundred round trips rather than twenty thousand.
const timelines = { big: 3_000, short: 120 };
const fixture = useTestGateway();
let token: string;

beforeAll(async () => {
  const account = await createAccount(fixture.db.prisma);
  token = account.authToken;
  await createTimeline(fixture.db.prisma, account.accountSid, 'big', timelines.big);
  await createTimeline(fixture.db.prisma, account.accountSid, 'short', timelines.short);
  await createTimeline(fixture.db.prisma, account.accountSid, 'one', 1);
  await createTimeline(fixture.db.prisma, account.accountSid, 'empty', 0);
});

async function page<V>(document: TypedDocumentNode<ResultOf<typeof ForwardPage>, V>, variables: V): Promise<Page> {
  const { data, errors } = await graphql(fixture.gateway, token, document, variables);
  expect(errors).toBeUndefined();
  return data!.session!.messages;
}

describe.each([
  { session: 'short', size: 1 },
  { session: 'short', size: 7 },
  { session: 'big', size: 50 },
  { session: 'big', size: 1000 },
] as const)('the $session session at page size $size', ({ session, size }) => {
  const items = timelines[session];

  it('pages forwards with first/after, every item exactly once and in order', async () => {
    const positions: number[] = [];
    let after: string | null = null;
    for (let n = 0; ; n++) {
      const { edges, pageInfo }: Page = await page(ForwardPage, { session, first: size, after });
      positions.push(...edges.map((edge) => edge.node.position));
      expect(pageInfo.hasPreviousPage).toBe(n > 0);
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor);
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor);
      if (!pageInfo.hasNextPage) break;
      expect(edges).toHaveLength(size);
      after = pageInfo.endCursor!;
    }
    expect(positions).toEqual(Array.from({ length: items }, (_, i) => i + 1));
  });

  it('pages backwards with last/before, every item exactly once and in order', async () => {
    const pages: number[][] = [];
    let before: string | null = null;
    for (let n = 0; ; n++) {
      const { edges, pageInfo }: Page = await page(BackwardPage, { session, last: size, before });
      pages.unshift(edges.map((edge) => edge.node.position));
      expect(pageInfo.hasNextPage).toBe(n > 0);
      if (!pageInfo.hasPreviousPage) break;
      expect(edges).toHaveLength(size);
      before = pageInfo.startCursor!;
    }
    expect(pages.flat()).toEqual(Array.from({ length: items }, (_, i) => i + 1));
  });
  // At page size 1 a walk is 10,000 requests one after another: minutes on a machine busy with other suites.
}, 600_000);

describe('Relay edge cases', () => {
  it('an empty session has no edges, no pages either way, and null cursors', async () => {
    for (const document of [ForwardPage, BackwardPage]) {
      const { data } = await graphql(fixture.gateway, token, document as typeof ForwardPage, { session: 'empty' });
      expect(data!.session!.messages).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    }
  });

  it('a one-item session returns its item with both cursors on it, from either end', async () => {
    const forward = await graphql(fixture.gateway, token, ForwardPage, { session: 'one', first: 10 });
    const backward = await graphql(fixture.gateway, token, BackwardPage, { session: 'one', last: 10 });
    for (const { data } of [forward, backward]) {
      const { edges, pageInfo } = data!.session!.messages;
      expect(edges.map((edge) => edge.node)).toEqual([{ __typename: 'ChatMessage', position: 1 }]);
      expect(pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: edges[0]!.cursor,
        endCursor: edges[0]!.cursor,
      });
    }
    const { data } = await graphql(fixture.gateway, token, ForwardPage, { session: 'one', first: 10, after: forward.data!.session!.messages.edges[0]!.cursor });
    expect(data!.session!.messages.edges).toEqual([]);
    expect(data!.session!.messages.pageInfo.hasNextPage).toBe(false);
  });

  it('serves 50 items when no size is given', async () => {
    const { data } = await graphql(fixture.gateway, token, ForwardPage, { session: 'big' });
    expect(data!.session!.messages.edges).toHaveLength(50);
  });
});
