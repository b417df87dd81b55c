import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { StoreError, type StoreErrorCode } from '../store/errors.js';

const graphqlCodeOf: Record<StoreErrorCode, string> = {
  not_found: 'NOT_FOUND',
  invalid_argument: 'BAD_USER_INPUT',
  invalid_cursor: 'BAD_USER_INPUT',
  unauthenticated: 'UNAUTHENTICATED',
  conflict: 'CONFLICT',
  database_in_use: 'SERVICE_UNAVAILABLE',
  invalid_configuration: 'INTERNAL_SERVER_ERROR',
};

export function graphqlExtensionsOf(error: StoreError): GraphQLErrorExtensions {
  return { code: graphqlCodeOf[error.code], ...(error.code === 'unauthenticated' ? { http: { status: 401 } } : {}) };
}

export function storeErrorToGraphQL(error: StoreError): GraphQLError {
  return new GraphQLError(error.message, { extensions: graphqlExtensionsOf(error) });
}

export function invalidArgument(message: string): StoreError {
  return new StoreError('invalid_argument', message);
}
