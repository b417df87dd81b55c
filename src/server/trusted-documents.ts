import { readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';

/** The documents a production frontend may send, by id: GraphQL Code Generator's `persisted-documents.json`. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** Reads a `{"<id>": "<document>", …}` file (what the client preset writes with `persistedDocuments`). */
export async function loadTrustedDocuments(file: string): Promise<TrustedDocuments> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new GatewayError('invalid_configuration', `GRAPHQL_TRUSTED_DOCUMENTS: ${file} could not be read as JSON (${(error as Error).message})`);
  }
  const entries = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  if (!entries.length || entries.some(([, document]) => typeof document !== 'string')) {
    throw new GatewayError('invalid_configuration', `GRAPHQL_TRUSTED_DOCUMENTS: ${file} is not a persisted-documents file: expected {"<id>": "<document>", …}`);
  }
  return new Map(entries as [string, string][]);
}

/**
 * Only listed documents run: a request names one by `documentId` (the GraphQL-over-HTTP
 * convention the client preset follows) or by Apollo's `extensions.persistedQuery.sha256Hash`;
 * a request carrying a document of its own, or an id not in the list, is refused.
 */
export function trustedDocumentsOnly(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    extractPersistedOperationId: documentIdOf,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: refusal('This gateway runs trusted documents only: send the documentId of a listed document, not a query', 'PERSISTED_QUERY_ONLY'),
      keyNotFound: refusal('Send the documentId of a trusted document', 'PERSISTED_QUERY_ID_REQUIRED'),
      notFound: unknownDocument,
    },
  });
}

/**
 * These documents by id, beside whatever documents clients send: how a gateway that is not limited
 * to trusted documents serves the explorer, whose page sends only the ids of its own. A request
 * naming no id is left to Yoga as sent, so one without a query is answered as GraphQL over HTTP
 * says (Yoga's persisted-operations plugin would ask it for an id this gateway does not require).
 */
export function listedDocumentsToo(documents: TrustedDocuments): Plugin {
  return {
    onParams({ params, setParams }) {
      if (params.query) return;
      const id = documentIdOf(params);
      if (id === null) return;
      const document = documents.get(id);
      if (document === undefined) throw createGraphQLError(unknownDocument.message, { extensions: unknownDocument.extensions });
      setParams({ query: document, operationName: params.operationName, variables: params.variables, extensions: params.extensions });
    },
  };
}

function refusal(message: string, code: string) {
  return { message, extensions: { code, http: { status: 400 } } };
}

const unknownDocument = refusal('No trusted document has this documentId', 'PERSISTED_QUERY_NOT_FOUND');

function documentIdOf(params: GraphQLParams): string | null {
  const { documentId } = params as { documentId?: unknown };
  if (typeof documentId === 'string') return documentId;
  const hash = (params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? `sha256:${hash.replace(/^sha256:/, '')}` : null;
}
