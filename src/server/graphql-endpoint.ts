import { PothosValidationError } from '@pothos/core';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createYoga, maskError as defaultMaskError, type GraphiQLOptions, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { graphqlExtensionsOf, gatewayErrorToGraphQL } from '../graphql/errors.js';
import { schema } from '../graphql/schema/index.js';
import { asGatewayError, GatewayError, reportFault } from '../errors.js';
import { knownOperationCosts, operationLimitPlugins } from '../graphql/operation-limits.js';
import type { Caller } from '../store/accounts.js';
import { createCompiledExecution } from './compiled-execution.js';
import { isLoopback, sendJson } from './http.js';
import { compressGraphiQLPage } from './compression.js';
import { observeGraphQLOperations } from './observability.js';
import { refuseMutationsFromReadOnlyKeys } from './read-only.js';
import type { GatewaySettings } from './settings.js';
import { listedDocumentsToo, trustedDocumentsOnly, type TrustedDocuments } from './trusted-documents.js';

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

export interface GraphQLEndpointOptions extends Omit<GatewayContext, 'account' | 'maxCost' | 'maxListLength' | 'maxReadBytes'> {
  /** Serve GraphiQL on GET /graphql from a browser. */
  graphiql: boolean;
  /** A token GraphiQL pre-fills in its Authorization header (the demo account's, in development) for a client on this machine. */
  graphiqlToken?: string;
  /** Run only these documents (GRAPHQL_TRUSTED_DOCUMENTS); any document is run without. */
  trustedDocuments?: TrustedDocuments;
  /** Documents run by id beside any other (the explorer's), when not limited to trusted documents. */
  listedDocuments?: TrustedDocuments;
  settings: GatewaySettings;
}

/** What the boundary hands the endpoint with each request: the caller, once authenticated. */
export interface GraphQLServerContext {
  req: IncomingMessage;
  res: ServerResponse;
  account?: Caller;
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

/**
 * GraphiQL's page comes from a 29 MB bundle that, imported, stays in the heap for good (~50 MiB
 * RSS): it is loaded on the first request for the page, so a gateway that never serves one never
 * holds it.
 */
async function renderGraphiQLOnDemand(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}

/**
 * A request whose JSON Yoga's parser cannot read (a POST body, a GET's `variables` or `extensions`)
 * is the client's mistake: 400 BAD_REQUEST saying which part, without the parser's own message.
 * Left alone, Yoga answers a GET's malformed `variables` with a 500 (and logs it as a fault), and a
 * POST's with the JSON parser's text under `originalError`, in production too.
 */
const unparsableRequestsAreBadRequests: Plugin = {
  onRequestParse: ({ request, requestParser, setRequestParser }) => {
    if (!requestParser) return;
    const part = request.method === 'GET' ? 'The query string\'s "variables" or "extensions"' : 'The request body';
    setRequestParser(async (parsing) => {
      try {
        return await requestParser(parsing);
      } catch (error) {
        // Yoga's POST parser hands on the JSON parser's error as `extensions.originalError`.
        const jsonFault = error instanceof SyntaxError || (error instanceof GraphQLError && (error.extensions.originalError as Error | undefined)?.name === 'SyntaxError');
        if (!jsonFault) throw error;
        throw new GraphQLError(`${part} is not valid JSON`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
      }
    });
  },
};

/** graphql-js's own rule refusing `__schema` and `__type`. */
const noIntrospection: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };

/** Requests the endpoint serves without an account: the GraphiQL page and CORS preflights, which execute nothing. */
export function servesWithoutAccount(request: IncomingMessage, graphiql: boolean): boolean {
  return request.method === 'OPTIONS' || (graphiql && request.method === 'GET' && !!request.headers.accept?.includes('text/html'));
}

/**
 * GraphQL over HTTP for an account the boundary has authenticated and whose body it has read
 * within the size limit (`request.body`, which Yoga takes as the body), so nothing reaches the
 * parser before both. Operation limits are checked before execution; production settings turn
 * off introspection and field suggestions.
 */
export function createGraphQLEndpoint({ graphiql, graphiqlToken, settings, trustedDocuments, listedDocuments, ...services }: GraphQLEndpointOptions) {
  const contextFor = (account: Caller, res: ServerResponse): GatewayContext => {
    const { maxCost, maxListLength } = settings.operationLimits;
    return { ...services, account, maxCost, maxListLength, maxReadBytes: settings.maxReadBytes, messageLimits: settings.messageLimits, response: res };
  };
  const accounts = new WeakMap<IncomingMessage, Caller>();
  const compiled = createCompiledExecution({
    schema,
    contextFor: (req, res) => ({ ...contextFor(accounts.get(req)!, res), req, res }),
    withinLimits: knownOperationCosts(schema),
  });
  const yoga = createYoga<GraphQLServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // The boundary has read the body within MAX_BODY_BYTES before Yoga sees it; Yoga's own limit
    // would pipe that buffer through a stream of its own on every request for nothing.
    maxRequestBodySize: false,
    maskedErrors: { maskError },
    // Yoga's errors are faults like any other (reported to the log); its own console logger would print them as text.
    logging: { debug: () => {}, info: () => {}, warn: (...args) => console.warn(...args), error: (...args) => reportFault(args.length === 1 ? args[0] : args) },
    cors: settings.corsOrigins.length ? { origin: settings.corsOrigins, credentials: true } : false,
    plugins: [
      unparsableRequestsAreBadRequests,
      observeGraphQLOperations(),
      compressGraphiQLPage(),
      ...(trustedDocuments ? [trustedDocumentsOnly(trustedDocuments)] : listedDocuments ? [listedDocumentsToo(listedDocuments)] : []),
      ...operationLimitPlugins(settings.operationLimits),
      refuseMutationsFromReadOnlyKeys(),
      ...(settings.introspection ? [] : [noIntrospection]),
      ...(settings.fieldSuggestions ? [] : [blockFieldSuggestionsPlugin() as Plugin]),
      compiled.plugin,
    ],
    context: ({ account, res }) => {
      if (!account) throw gatewayErrorToGraphQL(new GatewayError('unauthenticated', 'Authentication required'));
      return contextFor(account, res);
    },
    renderGraphiQL: renderGraphiQLOnDemand,
    graphiql: graphiql
      ? (_request, serverContext) => ({
          title: 'conversation-gateway',
          defaultQuery: exampleQuery,
          headers: JSON.stringify({
            Authorization: `Bearer ${graphiqlToken && isLoopback(serverContext?.req.socket.remoteAddress) ? graphiqlToken : '<auth token>'}`,
          }),
        })
      : false,
  });
  return async (request: IncomingMessage, response: ServerResponse, account?: Caller, body?: Buffer): Promise<void> => {
    if (account && body) {
      accounts.set(request, account);
      if (await compiled.serveKnown(request, response, body)) return;
    }
    return yoga(request, response, { account });
  };
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
