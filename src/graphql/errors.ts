import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { GatewayError, type ErrorCode } from '../errors.js';

/** Every domain error as GraphQL answers it: `extensions.code`, and the HTTP status where it is not 200. */
const graphqlErrorOf: Record<ErrorCode, { code: string; status?: number }> = {
  not_found: { code: 'NOT_FOUND' },
  invalid_argument: { code: 'BAD_USER_INPUT' },
  invalid_cursor: { code: 'BAD_USER_INPUT' },
  unauthenticated: { code: 'UNAUTHENTICATED', status: 401 },
  permission_denied: { code: 'FORBIDDEN', status: 403 },
  conflict: { code: 'CONFLICT' },
  limit_exceeded: { code: 'LIMIT_EXCEEDED' },
  payload_too_large: { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  unsupported_media_type: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  method_not_allowed: { code: 'METHOD_NOT_ALLOWED', status: 405 },
  rate_limited: { code: 'RATE_LIMITED', status: 429 },
  unavailable: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  database_in_use: { code: 'SERVICE_UNAVAILABLE', status: 503 },
  invalid_configuration: { code: 'INTERNAL_SERVER_ERROR', status: 500 },
  internal: { code: 'INTERNAL_SERVER_ERROR', status: 500 },
};

export function graphqlExtensionsOf(error: GatewayError): GraphQLErrorExtensions {
  const { code, status } = graphqlErrorOf[error.code];
  const headers = error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) };
  return { code, ...(status ? { http: { status, ...(headers ? { headers } : {}) } } : {}) };
}

export function gatewayErrorToGraphQL(error: GatewayError): GraphQLError {
  return new GraphQLError(error.message, { extensions: graphqlExtensionsOf(error) });
}

export function invalidArgument(message: string): GatewayError {
  return new GatewayError('invalid_argument', message);
}
