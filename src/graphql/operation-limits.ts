import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { complexityFromQuery, type ComplexityErrorFn, type FieldComplexityValue } from '@pothos/plugin-complexity';
import { getNamedType, GraphQLError, isListType, isNonNullType, visit, type ASTNode, type DocumentNode, type GraphQLField, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
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

/** The arguments a field's cost reads (fieldCost), and so the variables a cost depends on (knownOperationCosts), with @skip/@include. */
const COST_ARGUMENTS = ['first', 'last', 'ids'] as const;
const COST_DIRECTIVES = new Set(['skip', 'include']);

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
  const { first, last, ids } = args as Partial<Record<(typeof COST_ARGUMENTS)[number], unknown>>;
  if (typeName.endsWith('Connection')) {
    const size = (first ?? last ?? DEFAULT_PAGE_SIZE) as number;
    return { field: 1, multiplier: Math.max(size, 0) };
  }
  if (!isList(field.type)) return 1;
  if (typeName.endsWith('Edge')) return { field: 1, multiplier: 1 };
  if (Array.isArray(ids)) return { field: 1, multiplier: ids.length };
  return { field: 1, multiplier: context.maxListLength ?? DEFAULT_MAX_LIST_LENGTH };
}

/** Costs kept for one operation, at most, and the longest text of variable values kept as a key. */
const MAX_COSTS_PER_OPERATION = 100;
const MAX_COST_KEY_LENGTH = 1000;

/**
 * Checks a known operation (`operation`: a document of one operation and its fragments) against
 * the cost limit before it runs, as the complexity plugin would while it runs: its cost is computed
 * once for each set of values of the variables it depends on (those in COST_ARGUMENTS or a
 * @skip/@include), not again for every request. Says whether it is within the limit; if so, the
 * context is marked checked (no `maxCost`), so the plugin does not compute it again. Over the
 * limit, or with variables the plugin cannot read, it says false, and the caller hands the request
 * to the path that refuses it in the API's shape.
 */
export function knownOperationCosts(schema: GraphQLSchema) {
  const byOperation = new WeakMap<DocumentNode, { variables: string[]; costs: Map<string, number> }>();
  const costOf = (operation: DocumentNode, variables: Record<string, unknown>, context: { maxListLength?: number }): number | undefined => {
    let known = byOperation.get(operation);
    if (!known) {
      const names = new Set<string>();
      const collect = (node: ASTNode) => void visit(node, { Variable: (variable) => void names.add(variable.name.value) });
      visit(operation, {
        Argument: (argument) => void ((COST_ARGUMENTS as readonly string[]).includes(argument.name.value) && collect(argument.value)),
        Directive: (directive) => void (COST_DIRECTIVES.has(directive.name.value) && collect(directive)),
      });
      byOperation.set(operation, (known = { variables: [...names], costs: new Map() }));
    }
    // A variable left out (its default applies) is told apart from one given as null.
    const key = JSON.stringify(known.variables.map((name) => (name in variables ? [variables[name]] : [])));
    let cost = known.costs.get(key);
    if (cost === undefined) {
      try {
        cost = complexityFromQuery(operation, { schema, variables, ctx: context }).complexity;
      } catch {
        return undefined;
      }
      if (key.length <= MAX_COST_KEY_LENGTH && known.costs.size < MAX_COSTS_PER_OPERATION) known.costs.set(key, cost);
    }
    return cost;
  };
  return (operation: DocumentNode, variables: Record<string, unknown> | undefined, gatewayContext: object): boolean => {
    const context = gatewayContext as { maxCost?: number; maxListLength?: number };
    if (context.maxCost === undefined) return true;
    const cost = costOf(operation, variables ?? {}, context);
    if (cost === undefined || cost > context.maxCost) return false;
    context.maxCost = undefined;
    return true;
  };
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
