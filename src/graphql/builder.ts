import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../store/generated/pothos-prisma-types.js';
import { getDatamodel } from '../store/generated/pothos-prisma-types.js';
import { timelineLoaders, type GatewayContext } from './context.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';
import { GatewayError } from '../errors.js';
import { costLimitError, fieldCost } from './operation-limits.js';

/** The most ids one `nodes(ids:)` takes: each id may be a session whose pages the request walks. */
export const MAX_NODE_IDS = 100;

const TIMELINE_ITEM_TYPES = new Set(['ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source']);

/**
 * Node lookups read whole rows through Prisma, outside the page reader: the timeline items among
 * them are charged to the request's read budget first, and refused whole when they would not fit.
 * A malformed id is left to its own lookup, which refuses it.
 */
async function chargeNodeReads(context: GatewayContext, ids: readonly { typename: string; id: string }[]): Promise<void> {
  const rowIds = ids.filter(({ typename, id }) => TIMELINE_ITEM_TYPES.has(typename) && /^\d{1,19}$/.test(id)).map(({ id }) => BigInt(id));
  if (rowIds.length) await Promise.all(rowIds.map((id) => timelineLoaders(context).nodeBytes.load(id)));
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GatewayContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  // Connections count lazily: `totalCount` costs a statement only when a query selects it.
  Connection: { totalCount: () => Promise<number> };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | bigint };
  };
}>({
  plugins: [RelayPlugin, PrismaPlugin, DataloaderPlugin, ComplexityPlugin],
  complexity: { fieldComplexity: fieldCost, limit: (context) => ({ complexity: context.maxCost }), complexityError: costLimitError },
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    nodeQueryOptions: {
      resolve: async (_root, args, context, _info, resolveNode) => {
        await chargeNodeReads(context, [args.id]);
        return resolveNode(args.id);
      },
    },
    nodesQueryOptions: {
      description: `The nodes with these ids, in order, null for an id of nothing of yours. At most ${MAX_NODE_IDS} ids; more are refused (LIMIT_EXCEEDED) before any is looked up.`,
      resolve: async (_root, args, context, _info, resolveNodes) => {
        if (args.ids.length > MAX_NODE_IDS) {
          throw new GatewayError('limit_exceeded', `nodes(ids:) takes at most ${MAX_NODE_IDS} ids, got ${args.ids.length}: ask in several requests`);
        }
        await chargeNodeReads(context, args.ids);
        return resolveNodes(args.ids);
      },
    },
  },
  prisma: {
    // The client belongs to the gateway instance, not to this module: importing the schema opens nothing.
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    onUnusedQuery: null,
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
builder.globalConnectionField('totalCount', (t) =>
  t.int({ description: 'How many items the whole connection holds, filters applied.', resolve: (connection) => connection.totalCount() }),
);
