import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { gatewayErrorToGraphQL } from '../graphql/errors.js';
import { GatewayError } from '../errors.js';

/**
 * A read-only API key may run queries and subscriptions; every mutation, present or future, is
 * refused before it runs (`permission_denied`, GraphQL `FORBIDDEN`).
 */
export function refuseMutationsFromReadOnlyKeys(): Plugin<GatewayContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { account } = args.contextValue as GatewayContext;
      if (!account.readOnly || getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      const error = new GatewayError('permission_denied', `API key ${account.apiKeySid} is read-only: mutations need a key created without --read-only, or the auth token`);
      setResultAndStopExecution({ errors: [gatewayErrorToGraphQL(error)] });
    },
  };
}
