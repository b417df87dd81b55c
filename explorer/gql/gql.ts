/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ExplorerAccount {\n    account { sid name }\n  }\n": typeof types.ExplorerAccountDocument,
    "\n  query ExplorerSessions($first: Int!, $after: String, $filter: SessionFilter) {\n    sessions(first: $first, after: $after, filter: $filter, orderBy: LAST_MESSAGE_AT_DESC) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id\n          sessionId\n          name\n          identity\n          assistant { assistantId }\n          summary { messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": typeof types.ExplorerSessionsDocument,
    "\n  fragment TimelineItem on Message {\n    __typename\n    position\n    createdAt\n    ... on ChatMessage { role text identity confidence sources { key position } }\n    ... on ToolCall { toolName content }\n    ... on KnowledgeCall { text content }\n    ... on Source { key title url score text }\n  }\n": typeof types.TimelineItemFragmentDoc,
    "\n  query ExplorerTimeline($session: ID!, $first: Int, $after: String, $last: Int, $before: String, $afterPosition: Int) {\n    session(id: $session) {\n      sessionId\n      name\n      identity\n      assistant { assistantId }\n      summary { itemCount }\n      messages(first: $first, after: $after, last: $last, before: $before, afterPosition: $afterPosition) {\n        pageInfo { hasNextPage hasPreviousPage }\n        edges { cursor node { ...TimelineItem } }\n      }\n      tail: messages(last: 1) { edges { cursor } }\n    }\n  }\n": typeof types.ExplorerTimelineDocument,
    "\n  subscription ExplorerMessageAdded($session: ID!, $after: String) {\n    messageAdded(sessionId: $session, after: $after) {\n      cursor\n      message { ...TimelineItem }\n    }\n  }\n": typeof types.ExplorerMessageAddedDocument,
    "\n  query ExplorerSearch($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          snippet\n          score\n          session { sessionId name }\n          item { __typename position createdAt }\n        }\n      }\n    }\n  }\n": typeof types.ExplorerSearchDocument,
};
const documents: Documents = {
    "\n  query ExplorerAccount {\n    account { sid name }\n  }\n": types.ExplorerAccountDocument,
    "\n  query ExplorerSessions($first: Int!, $after: String, $filter: SessionFilter) {\n    sessions(first: $first, after: $after, filter: $filter, orderBy: LAST_MESSAGE_AT_DESC) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id\n          sessionId\n          name\n          identity\n          assistant { assistantId }\n          summary { messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n": types.ExplorerSessionsDocument,
    "\n  fragment TimelineItem on Message {\n    __typename\n    position\n    createdAt\n    ... on ChatMessage { role text identity confidence sources { key position } }\n    ... on ToolCall { toolName content }\n    ... on KnowledgeCall { text content }\n    ... on Source { key title url score text }\n  }\n": types.TimelineItemFragmentDoc,
    "\n  query ExplorerTimeline($session: ID!, $first: Int, $after: String, $last: Int, $before: String, $afterPosition: Int) {\n    session(id: $session) {\n      sessionId\n      name\n      identity\n      assistant { assistantId }\n      summary { itemCount }\n      messages(first: $first, after: $after, last: $last, before: $before, afterPosition: $afterPosition) {\n        pageInfo { hasNextPage hasPreviousPage }\n        edges { cursor node { ...TimelineItem } }\n      }\n      tail: messages(last: 1) { edges { cursor } }\n    }\n  }\n": types.ExplorerTimelineDocument,
    "\n  subscription ExplorerMessageAdded($session: ID!, $after: String) {\n    messageAdded(sessionId: $session, after: $after) {\n      cursor\n      message { ...TimelineItem }\n    }\n  }\n": types.ExplorerMessageAddedDocument,
    "\n  query ExplorerSearch($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          snippet\n          score\n          session { sessionId name }\n          item { __typename position createdAt }\n        }\n      }\n    }\n  }\n": types.ExplorerSearchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerAccount {\n    account { sid name }\n  }\n"): (typeof documents)["\n  query ExplorerAccount {\n    account { sid name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSessions($first: Int!, $after: String, $filter: SessionFilter) {\n    sessions(first: $first, after: $after, filter: $filter, orderBy: LAST_MESSAGE_AT_DESC) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id\n          sessionId\n          name\n          identity\n          assistant { assistantId }\n          summary { messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExplorerSessions($first: Int!, $after: String, $filter: SessionFilter) {\n    sessions(first: $first, after: $after, filter: $filter, orderBy: LAST_MESSAGE_AT_DESC) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id\n          sessionId\n          name\n          identity\n          assistant { assistantId }\n          summary { messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelineItem on Message {\n    __typename\n    position\n    createdAt\n    ... on ChatMessage { role text identity confidence sources { key position } }\n    ... on ToolCall { toolName content }\n    ... on KnowledgeCall { text content }\n    ... on Source { key title url score text }\n  }\n"): (typeof documents)["\n  fragment TimelineItem on Message {\n    __typename\n    position\n    createdAt\n    ... on ChatMessage { role text identity confidence sources { key position } }\n    ... on ToolCall { toolName content }\n    ... on KnowledgeCall { text content }\n    ... on Source { key title url score text }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerTimeline($session: ID!, $first: Int, $after: String, $last: Int, $before: String, $afterPosition: Int) {\n    session(id: $session) {\n      sessionId\n      name\n      identity\n      assistant { assistantId }\n      summary { itemCount }\n      messages(first: $first, after: $after, last: $last, before: $before, afterPosition: $afterPosition) {\n        pageInfo { hasNextPage hasPreviousPage }\n        edges { cursor node { ...TimelineItem } }\n      }\n      tail: messages(last: 1) { edges { cursor } }\n    }\n  }\n"): (typeof documents)["\n  query ExplorerTimeline($session: ID!, $first: Int, $after: String, $last: Int, $before: String, $afterPosition: Int) {\n    session(id: $session) {\n      sessionId\n      name\n      identity\n      assistant { assistantId }\n      summary { itemCount }\n      messages(first: $first, after: $after, last: $last, before: $before, afterPosition: $afterPosition) {\n        pageInfo { hasNextPage hasPreviousPage }\n        edges { cursor node { ...TimelineItem } }\n      }\n      tail: messages(last: 1) { edges { cursor } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerMessageAdded($session: ID!, $after: String) {\n    messageAdded(sessionId: $session, after: $after) {\n      cursor\n      message { ...TimelineItem }\n    }\n  }\n"): (typeof documents)["\n  subscription ExplorerMessageAdded($session: ID!, $after: String) {\n    messageAdded(sessionId: $session, after: $after) {\n      cursor\n      message { ...TimelineItem }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSearch($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          snippet\n          score\n          session { sessionId name }\n          item { __typename position createdAt }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExplorerSearch($query: String!, $first: Int!, $after: String) {\n    search(query: $query, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          snippet\n          score\n          session { sessionId name }\n          item { __typename position createdAt }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;