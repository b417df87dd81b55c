import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, GraphQLError, Kind, visit, type DocumentNode, type ExecutionArgs, type ExecutionResult, type SelectionNode } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { noteCompiledExecution } from './observability.js';

/**
 * The document as graphql-jit must see it to write a response's keys in the order the spec asks
 * (the query's, fragments expanded where they stand). graphql-jit collects a selection set's own
 * fields before the fragments in it, and those last-in-first-out; with every field wrapped in a
 * fragment of its own and each selection set reversed, its walk meets the fields in query order.
 * The meaning is unchanged: a fragment without a type condition always applies.
 */
function inSelectionOrderForJit(document: DocumentNode): DocumentNode {
  const wrap = (selection: SelectionNode): SelectionNode =>
    selection.kind === Kind.FIELD ? { kind: Kind.INLINE_FRAGMENT, selectionSet: { kind: Kind.SELECTION_SET, selections: [selection] } } : selection;
  return visit(document, { SelectionSet: { leave: (node) => ({ ...node, selections: node.selections.map(wrap).reverse() }) } });
}

/**
 * A resolver's error as graphql-js reports it. graphql-jit's own errors carry the same message,
 * path, locations and original error, but their extensions cannot be added to, which is how the
 * endpoint labels a caller's mistake with its code.
 */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  return Object.assign(converted, { locations: error.locations });
}

/**
 * Queries run through graphql-jit: a document is compiled into a function that walks the
 * selection without graphql-js's per-field bookkeeping (about a quarter less CPU per request).
 * Only a document run before is compiled (Yoga's parse cache hands back the same document object
 * for the same text), so a stream of one-off queries costs no compilations; those, mutations and
 * subscriptions run on graphql-js. test/graphql-field-order.test.ts holds the response's key
 * order to the spec.
 */
export function compiledExecution(): Plugin[] {
  const seen = new WeakSet<DocumentNode>();
  const compiled = new WeakSet<ExecutionArgs>();
  const ordered = new WeakMap<DocumentNode, DocumentNode>();
  const compile = (args: ExecutionArgs): boolean => {
    if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return false;
    if (!seen.has(args.document)) {
      seen.add(args.document);
      return false;
    }
    compiled.add(args);
    return true;
  };
  const inOrder: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (!compiled.has(args)) return;
      setExecuteFn(async (executionArgs) => {
        noteCompiledExecution((executionArgs.contextValue as { req?: IncomingMessage }).req);
        let document = ordered.get(executionArgs.document);
        if (!document) ordered.set(executionArgs.document, (document = inSelectionOrderForJit(executionArgs.document)));
        const result = (await executeFn({ ...executionArgs, document })) as ExecutionResult;
        return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
      });
    },
  };
  return [useGraphQlJit({}, { enableIf: compile }) as Plugin, inOrder];
}
