// A frontend's GraphQL documents, as GraphQL Code Generator's client preset finds them. Its
// persisted-documents output, gql/persisted-documents.json, is the list a gateway started with
// GRAPHQL_TRUSTED_DOCUMENTS runs; any other document is refused.
import { graphql } from './gql/index.js';

export const FrontendSessions = graphql(`
  query FrontendSessions($first: Int) {
    sessions(first: $first) { totalCount edges { node { id sessionId name } } }
  }
`);

export const FrontendTimeline = graphql(`
  query FrontendTimeline($session: ID!, $cursor: String) {
    session(id: $session) {
      messages(first: 50, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        edges { node { __typename position createdAt ... on ChatMessage { role text } } }
      }
    }
  }
`);
