import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute } from 'graphql';
import type { GatewayContext } from '../graphql/context.js';
import { schema } from '../graphql/schema/index.js';
import { GatewayError } from '../errors.js';

/**
 * Runs one of the REST surfaces' typed GraphQL documents against the same schema, loaders, paging
 * and account scoping that /graphql serves. Each call gets a context of its own, so a long stream of
 * pages does not pile up in one request's loader caches. A caller's mistake comes back as the
 * GatewayError the resolvers raised, for the surface to put in its own error shape.
 */
export async function executeDocument<Result, Variables>(
  context: GatewayContext,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const result = await execute({
    schema,
    document,
    contextValue: { ...context },
    variableValues: variables as Record<string, unknown>,
  });
  const [error] = result.errors ?? [];
  if (error) throw error.originalError instanceof GatewayError ? error.originalError : (error.originalError ?? error);
  return result.data as Result;
}
