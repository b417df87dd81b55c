import { getOperationAST, GraphQLError, isScalarType, isSpecifiedScalarType, Kind, visit, type DocumentNode, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { dateJsonText } from '../models/date-text.js';
import { noteCompiledExecution, noteOperation } from './observability.js';

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
 * Each scalar's serializer, its Date values turned into the text JSON.stringify would write for
 * them (dateJsonText): JSON.stringify writes a Date through its toJSON, which took a page's
 * serialization three times as long as the same page with the text in its place.
 */
function textForDates(schema: GraphQLSchema): Record<string, (value: unknown) => unknown> {
  const serializers: Record<string, (value: unknown) => unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isScalarType(type) || isSpecifiedScalarType(type)) continue;
    serializers[type.name] = (value) => {
      const serialized = type.serialize(value);
      return serialized instanceof Date ? dateJsonText(serialized) : serialized;
    };
  }
  return serializers;
}

/**
 * A resolver's error as graphql-js reports it. graphql-jit's own errors carry the same message,
 * path, locations and original error, but their extensions cannot be added to, which is how the
 * endpoint labels a caller's mistake with its code. They are located at the fields their path
 * names in the document (`fieldNodesAt`), as graphql-js locates them, so that an answer with
 * errors reads the same on a document's first run (graphql-js) and on the runs after it.
 */
function asGraphQLJsError(error: GraphQLError, document: DocumentNode, operation: OperationDefinitionNode): GraphQLError {
  // Located by its nodes, as graphql-js does: Yoga formats an error again from its nodes, not its locations.
  const nodes = error.path ? fieldNodesAt(document, operation, error.path) : undefined;
  const converted = new GraphQLError(error.message, { nodes, path: error.path, originalError: error.originalError, extensions: error.extensions });
  return nodes ? converted : Object.assign(converted, { locations: error.locations });
}

/** The fields a response path names in an operation, by their response keys, through its fragments. */
function fieldNodesAt(document: DocumentNode, operation: OperationDefinitionNode, path: readonly (string | number)[]): FieldNode[] {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  let selectionSets: SelectionSetNode[] = [operation.selectionSet];
  let fields: FieldNode[] = [];
  for (const key of path) {
    // A list's index names no field.
    if (typeof key === 'number') continue;
    fields = [];
    const collect = ({ selections }: SelectionSetNode): void => {
      for (const selection of selections) {
        if (selection.kind === Kind.FIELD) {
          if ((selection.alias ?? selection.name).value === key) fields.push(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
        else {
          const fragment = fragments.get(selection.name.value);
          if (fragment) collect(fragment.selectionSet);
        }
      }
    };
    selectionSets.forEach(collect);
    selectionSets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return fields;
}

/** One query operation of a document, compiled: runs it for a context and the request's variables. */
interface CompiledOperation {
  run: (contextValue: object, variableValues: Record<string, unknown> | undefined) => Promise<ExecutionResult>;
  /** The operation alone, with the document's fragments: what its limits are checked on. */
  operation: DocumentNode;
}

/** What a POST body asking for a known document holds; anything more (`extensions`, another key) is Yoga's to read. */
interface KnownRequestBody {
  query?: string;
  documentId?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const BODY_KEYS = new Set(['query', 'documentId', 'operationName', 'variables']);

/**
 * The response types Yoga answers a successful query with, by the Accept headers the hot path
 * serves (the common ones; any other goes through Yoga's own negotiation).
 */
const CONTENT_TYPE_BY_ACCEPT = new Map<string | undefined, string>([
  [undefined, 'application/json; charset=utf-8'],
  ['*/*', 'application/json; charset=utf-8'],
  ['application/json', 'application/json; charset=utf-8'],
  ['application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
  ['application/graphql-response+json, application/json', 'application/graphql-response+json; charset=utf-8'],
  ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json; charset=utf-8'],
]);

/** Known documents kept, at most, and the bytes of the request texts that name them. */
const MAX_KNOWN_DOCUMENTS = 500;
const MAX_KNOWN_DOCUMENT_BYTES = 8 * 1024 * 1024;

export interface CompiledExecutionOptions {
  schema: GraphQLSchema;
  /** The GraphQL context for a request the hot path serves, as Yoga's context factory builds it. */
  contextFor: (request: IncomingMessage, response: ServerResponse) => object;
  /**
   * Whether a known operation's request is within the limits that depend on its variables (its
   * cost), checked before it runs; when not, Yoga serves the request and refuses it.
   */
  withinLimits: (operation: DocumentNode, variables: Record<string, unknown> | undefined, context: object) => boolean;
}

/**
 * Queries run through graphql-jit: a document is compiled into a function that walks the
 * selection without graphql-js's per-field bookkeeping. Only a document run before is compiled
 * (Yoga's parse cache hands back the same document object for the same text), so a stream of
 * one-off queries costs no compilations; those, mutations and subscriptions run on graphql-js.
 * test/graphql-field-order.test.ts holds the response's key order to the spec.
 *
 * A compiled query is also remembered by the words of the POST body that asked for it (its
 * `query` or `documentId`, and `operationName`). Everything Yoga decides before executing a
 * document depends on those words alone (parsing, validation, the operation limits, trusted
 * documents), so a later request saying the same is answered by `serveKnown` without Yoga: its
 * variables and context are all that is new, and it pays for no parse, validation, or fetch-API
 * request and response. Whatever is not plainly that (another Accept, a CORS request, an
 * `extensions` key, a result with errors) is handed to Yoga, which answers it as it always has.
 */
export function createCompiledExecution({ schema, contextFor, withinLimits }: CompiledExecutionOptions) {
  const seen = new WeakSet<DocumentNode>();
  const compiledByDocument = new WeakMap<DocumentNode, Map<string | undefined, CompiledOperation>>();
  const known = new Map<string, CompiledOperation>();
  let knownBytes = 0;
  /** The words of a POST body the hot path could not answer, until Yoga executes it. */
  const requestWords = new WeakMap<IncomingMessage, string>();
  /** A known query's result that has errors, for Yoga to answer (masking, codes, status) without running the query again. */
  const resultsWithErrors = new WeakMap<IncomingMessage, ExecutionResult>();

  const compile = (document: DocumentNode, operationName: string | undefined): CompiledOperation => {
    const operation: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [getOperationAST(document, operationName)!, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)],
    };
    const compiled = compileQuery(schema, inSelectionOrderForJit(document), operationName, { customSerializers: textForDates(schema) });
    if (!isCompiledQuery(compiled)) return { run: async () => compiled, operation };
    const definition = operation.definitions[0] as OperationDefinitionNode;
    return {
      run: async (contextValue, variableValues) => {
        const result = (await compiled.query(undefined, contextValue, variableValues)) as ExecutionResult;
        if (!result.errors) return result;
        // graphql-js's order: errors first.
        const { errors, ...rest } = result;
        return { errors: errors.map((error) => asGraphQLJsError(error, document, definition)), ...rest };
      },
      operation,
    };
  };

  /** The compiled form of a query seen before (compiled now if need be); undefined on its first run and for anything else. */
  const compiledFor = (args: ExecutionArgs): CompiledOperation | undefined => {
    if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return undefined;
    if (!seen.has(args.document)) {
      seen.add(args.document);
      return undefined;
    }
    const operationName = args.operationName ?? undefined;
    let byName = compiledByDocument.get(args.document);
    if (!byName) compiledByDocument.set(args.document, (byName = new Map()));
    let compiled = byName.get(operationName);
    if (!compiled) byName.set(operationName, (compiled = compile(args.document, operationName)));
    return compiled;
  };

  const remember = (words: string, compiled: CompiledOperation) => {
    if (known.has(words)) return;
    known.set(words, compiled);
    knownBytes += words.length;
    // Longest unused first: a tenant sending many distinct documents pushes out only documents no one is using, never memory past the bound.
    for (const [oldest] of known) {
      if (known.size <= MAX_KNOWN_DOCUMENTS && knownBytes <= MAX_KNOWN_DOCUMENT_BYTES) break;
      known.delete(oldest);
      knownBytes -= oldest.length;
    }
  };

  const plugin: Plugin = {
    onExecute({ args, setExecuteFn }) {
      const compiled = compiledFor(args);
      if (!compiled) return;
      const request = (args.contextValue as { req?: IncomingMessage }).req;
      const words = request && requestWords.get(request);
      if (words !== undefined) remember(words, compiled);
      const answered = request && resultsWithErrors.get(request);
      if (answered) {
        resultsWithErrors.delete(request!);
        setExecuteFn(async () => answered);
        return;
      }
      setExecuteFn((executionArgs) => {
        noteCompiledExecution(request);
        return compiled.run(executionArgs.contextValue as object, executionArgs.variableValues ?? undefined);
      });
    },
  };

  /**
   * Answers a POST of a known query (its body read, its caller authenticated by the boundary) and
   * says true, or says false having written nothing: Yoga is then to serve it.
   */
  async function serveKnown(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<boolean> {
    const contentType = CONTENT_TYPE_BY_ACCEPT.get(request.headers.accept);
    if (!contentType || request.headers.origin !== undefined || !readAsJsonByYoga(request.headers['content-type'])) return false;
    const parsed = parseKnownRequestBody(body);
    if (!parsed) return false;
    const words = JSON.stringify([parsed.documentId ?? null, parsed.query ?? null, parsed.operationName ?? null]);
    const compiled = known.get(words);
    if (!compiled) {
      requestWords.set(request, words);
      return false;
    }
    // Used last, so evicted last: documents in use stay known however many others come and go.
    known.delete(words);
    known.set(words, compiled);
    const context = contextFor(request, response);
    if (!withinLimits(compiled.operation, parsed.variables ?? undefined, context)) return false;
    noteOperation(request, 'query');
    const result = await compiled.run(context, parsed.variables ?? undefined);
    // Answered already, at the request's deadline.
    if (response.writableEnded) return true;
    // An error takes Yoga's own path (masking, extensions, status) with the result as it is: run
    // again there, a query answering with errors (which a caller can make it do) would read twice.
    if (result.errors) {
      resultsWithErrors.set(request, result);
      return false;
    }
    noteCompiledExecution(request, true);
    const text = JSON.stringify(result);
    response.writeHead(200, { 'Content-Type': contentType, 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return true;
  }

  return { plugin, serveKnown };
}

/**
 * Whether Yoga's parser reads a POST body of this type as JSON, as it matches it: case and spacing
 * as written (the boundary takes any; Yoga answers one it does not match with a 415).
 */
function readAsJsonByYoga(contentType: string | undefined): boolean {
  const type = contentType?.split(',')[0];
  return ['application/json', 'application/graphql+json'].some((json) => type === json || !!type?.startsWith(`${json};`));
}

/** The body's fields when it is a plain request for one document and nothing else; undefined otherwise. */
function parseKnownRequestBody(body: Buffer): KnownRequestBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  for (const key of Object.keys(parsed)) if (!BODY_KEYS.has(key)) return undefined;
  const { query, documentId, operationName, variables } = parsed as Record<string, unknown>;
  const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
  if (!optionalString(query) || !optionalString(documentId) || (query === undefined) === (documentId === undefined)) return undefined;
  if (!(optionalString(operationName) || operationName === null)) return undefined;
  if (!(variables === undefined || variables === null || (typeof variables === 'object' && !Array.isArray(variables)))) return undefined;
  return parsed as KnownRequestBody;
}
