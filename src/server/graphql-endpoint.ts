import { PothosValidationError } from '@pothos/core';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { graphqlExtensionsOf, gatewayErrorToGraphQL } from '../graphql/errors.js';
import { schema } from '../graphql/schema/index.js';
import { asGatewayError, GatewayError } from '../errors.js';
import { sendJson } from './http.js';
import { authenticatedContext } from './auth.js';
import { compressGraphiQLPage } from './compression.js';
import { observeGraphQLOperations } from './observability.js';
import { refuseMutationsFromReadOnlyKeys } from './read-only.js';
import { trustedDocumentsOnly, type TrustedDocuments } from './trusted-documents.js';

export const exampleQuery = `# Your sessions, and the first messages of each: chat messages, tool calls,
# knowledge calls and the sources they cite, in timeline order.
query Conversations {
  sessions(first: 5) {
    totalCount
    edges {
      node {
        sessionId
        name
        messages(first: 20) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            node {
              __typename
              position
              createdAt
              ... on ChatMessage { role text confidence sources { key title url score } }
              ... on ToolCall { toolName content }
              ... on KnowledgeCall { text sources { key title } }
              ... on Source { key title url score }
            }
          }
        }
      }
    }
  }
}
`;

export interface GraphQLEndpointOptions extends Omit<GatewayContext, 'account'> {
  /** Serve GraphiQL on GET /graphql from a browser. */
  graphiql: boolean;
  /** A token GraphiQL pre-fills in its Authorization header (the demo account's, in development). */
  graphiqlToken?: string;
  /** Run only these documents (GRAPHQL_TRUSTED_DOCUMENTS); any document is run without. */
  trustedDocuments?: TrustedDocuments;
}

/**
 * A caller's mistake (a GatewayError or a Pothos validation error) reaches the client with its message
 * and a code; anything else is masked. The error is labelled in place: Yoga logs every error it has
 * to replace, and a bad cursor is not worth a server log line.
 */
function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (error instanceof GraphQLError && original instanceof GatewayError) {
    Object.assign(error.extensions, graphqlExtensionsOf(original));
    return error;
  }
  if (error instanceof GraphQLError && original instanceof PothosValidationError) {
    Object.assign(error.extensions, { code: 'BAD_USER_INPUT' });
    return error;
  }
  return defaultMaskError(error, message, isDev);
}

export function createGraphQLEndpoint({ graphiql, graphiqlToken, trustedDocuments, ...services }: GraphQLEndpointOptions) {
  return createYoga<object, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: { maskError },
    plugins: [observeGraphQLOperations(), refuseMutationsFromReadOnlyKeys(), compressGraphiQLPage(), ...(trustedDocuments ? [trustedDocumentsOnly(trustedDocuments)] : [])],
    context: async ({ request }) => {
      try {
        return await authenticatedContext(services, request.headers.get('authorization'));
      } catch (error) {
        throw error instanceof GatewayError ? gatewayErrorToGraphQL(error) : error;
      }
    },
    renderGraphiQL,
    graphiql: graphiql && {
      title: 'conversation-gateway',
      defaultQuery: exampleQuery,
      headers: JSON.stringify(graphiqlToken ? { Authorization: `Bearer ${graphiqlToken}` } : { Authorization: 'Bearer <auth token>' }),
    },
  });
}

/**
 * A request refused before GraphQL runs (a malformed target, a body over the limit, a rate limit),
 * answered as GraphQL over HTTP answers a request error: `{"errors": [...]}` with a 4xx/5xx status.
 */
export function sendGraphQLError(response: ServerResponse, error: unknown): void {
  const known = asGatewayError(error);
  const extensions = graphqlExtensionsOf(known);
  const { http, ...rest } = extensions as { http?: { status: number; headers?: Record<string, string> } };
  sendJson(response, http?.status ?? 400, { errors: [{ message: known.message, extensions: rest }] }, http?.headers);
}
