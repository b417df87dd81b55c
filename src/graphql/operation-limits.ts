import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { ComplexityErrorFn, FieldComplexityValue } from '@pothos/plugin-complexity';
import { getNamedType, GraphQLError, isListType, isNonNullType, type GraphQLField, type GraphQLOutputType } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';
import type { OperationLimits } from '../server/settings.js';
import { DEFAULT_PAGE_SIZE } from '../store/pages.js';
import { graphqlExtensionsOf } from './errors.js';

/** The longest a list other than a connection can be when no setting says (MAX_SOURCES_PER_MESSAGE's default). */
const DEFAULT_MAX_LIST_LENGTH = 1000;

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The cost of a field, for @pothos/plugin-complexity: 1, and what it selects multiplied by the
 * number of items it can return. A connection returns its page (`first`/`last`, else the default
 * page size), whose `edges` then count once; `nodes(ids:)` returns one per id; any other list
 * (`sources`, a mutation's `items`) as many as it can hold, MAX_SOURCES_PER_MESSAGE.
 */
export function fieldCost<Context extends { maxListLength?: number }>(
  args: Record<string, unknown>,
  context: Context,
  field: GraphQLField<unknown, Context>,
): FieldComplexityValue {
  const typeName = getNamedType(field.type).name;
  if (typeName.endsWith('Connection')) {
    const size = (args.first ?? args.last ?? DEFAULT_PAGE_SIZE) as number;
    return { field: 1, multiplier: Math.max(size, 0) };
  }
  if (!isList(field.type)) return 1;
  if (typeName.endsWith('Edge')) return { field: 1, multiplier: 1 };
  if (Array.isArray(args.ids)) return { field: 1, multiplier: args.ids.length };
  return { field: 1, multiplier: context.maxListLength ?? DEFAULT_MAX_LIST_LENGTH };
}

/** An operation over the cost budget is refused before any of its fields resolves. */
export const costLimitError: ComplexityErrorFn = (_kind, { complexity, maxComplexity }) =>
  new GatewayError(
    'limit_exceeded',
    `The operation's estimated cost is ${complexity}, over the limit of ${maxComplexity}: ask for smaller pages (first/last) or fewer nested lists`,
  );

/** Armor refuses with a plain GraphQLError; ours says LIMIT_EXCEEDED, like every other limit. */
function markLimitExceeded(_context: unknown, error: GraphQLError): void {
  const limit = new GatewayError('limit_exceeded', error.message.replace(/^Syntax Error: /, ''));
  Object.assign(error, { message: limit.message });
  Object.assign(error.extensions, graphqlExtensionsOf(limit));
}

/**
 * The document limits, checked while it is parsed (tokens, which also bounds nesting before the
 * parser could overflow its stack) and validated (depth, aliases, directives), so a refused
 * operation never executes. The cost limit lives in the schema (see fieldCost).
 */
export function operationLimitPlugins(limits: OperationLimits): Plugin[] {
  const onReject = [markLimitExceeded];
  return [
    maxTokensPlugin({ n: limits.maxTokens, onReject }),
    maxDepthPlugin({ n: limits.maxDepth, onReject, flattenFragments: true }),
    maxAliasesPlugin({ n: limits.maxAliases, onReject }),
    maxDirectivesPlugin({ n: limits.maxDirectives, onReject }),
  ] as Plugin[];
}
