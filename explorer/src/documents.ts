// Every GraphQL document the explorer sends. GraphQL Code Generator's client preset types them
// (explorer/gql/) and lists them in explorer/gql/persisted-documents.json: the page sends only
// their hashes, so a gateway started with that list as GRAPHQL_TRUSTED_DOCUMENTS serves it.
import { graphql } from '../gql/index.js';

export const AccountQuery = graphql(`
  query ExplorerAccount {
    account { sid name }
  }
`);

export const SessionsQuery = graphql(`
  query ExplorerSessions($first: Int!, $after: String, $filter: SessionFilter) {
    sessions(first: $first, after: $after, filter: $filter, orderBy: LAST_MESSAGE_AT_DESC) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          sessionId
          name
          identity
          assistant { assistantId }
          summary { messageCount toolCallCount knowledgeCallCount sourceCount firstMessageAt lastMessageAt averageConfidence }
        }
      }
    }
  }
`);

export const TimelineItemFragment = graphql(`
  fragment TimelineItem on Message {
    __typename
    position
    createdAt
    ... on ChatMessage { role text identity confidence sources { key position } }
    ... on ToolCall { toolName content }
    ... on KnowledgeCall { text content }
    ... on Source { key title url score text }
  }
`);

export const TimelineQuery = graphql(`
  query ExplorerTimeline($session: ID!, $first: Int, $after: String, $last: Int, $before: String, $afterPosition: Int) {
    session(id: $session) {
      sessionId
      name
      identity
      assistant { assistantId }
      summary { itemCount }
      messages(first: $first, after: $after, last: $last, before: $before, afterPosition: $afterPosition) {
        pageInfo { hasNextPage hasPreviousPage }
        edges { cursor node { ...TimelineItem } }
      }
      tail: messages(last: 1) { edges { cursor } }
    }
  }
`);

export const MessageAddedSubscription = graphql(`
  subscription ExplorerMessageAdded($session: ID!, $after: String) {
    messageAdded(sessionId: $session, after: $after) {
      cursor
      message { ...TimelineItem }
    }
  }
`);

export const SearchQuery = graphql(`
  query ExplorerSearch($query: String!, $first: Int!, $after: String) {
    search(query: $query, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          snippet
          score
          session { sessionId name }
          item { __typename position createdAt }
        }
      }
    }
  }
`);
