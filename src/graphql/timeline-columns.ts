import { isInterfaceType, isObjectType, visit, type ASTNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { OPTIONAL_COLUMNS, type OptionalColumn } from '../store/timeline.js';

const optional = new Set<string>(OPTIONAL_COLUMNS);
const columnsOfFieldNames = new WeakMap<GraphQLSchema, Map<string, OptionalColumn[]>>();
const readOfOperation = new WeakMap<object, TimelineRead>();

/**
 * Fields that read an optional column in a resolver of their own rather than exposing it. Listed
 * by field name, as exposed columns are, so a field of that name on any type reads it: more than
 * a page needs at worst, never less.
 */
const READ_IN_RESOLVERS: Record<string, OptionalColumn[]> = {
  text: ['text'],
  messageId: ['messageId'],
  role: ['role'],
  key: ['sourceKey'],
  message: ['parentId'],
  session: ['sessionPk'],
};

/** What a page read for an operation must hold: the optional columns it shows, and whether it shows sources. */
export interface TimelineRead {
  columns: readonly OptionalColumn[];
  sources: boolean;
}

/** For each field name of the schema, the optional columns a field of that name exposes (Pothos records which). */
function exposedColumns(schema: GraphQLSchema): Map<string, OptionalColumn[]> {
  let byName = columnsOfFieldNames.get(schema);
  if (!byName) {
    byName = new Map(Object.entries(READ_IN_RESOLVERS));
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const column = field.extensions?.pothosExposedField;
        if (typeof column !== 'string' || !optional.has(column)) continue;
        const columns = byName.get(field.name) ?? [];
        if (!columns.includes(column as OptionalColumn)) byName.set(field.name, [...columns, column as OptionalColumn]);
      }
    }
    columnsOfFieldNames.set(schema, byName);
  }
  return byName;
}

/**
 * The optional timeline columns an operation can show: those of a field (of any type) that the
 * document names anywhere, aliases and fragments included, so a page read for it leaves the
 * others out, and the sources only when it names `sources`. Worked out once per parsed document.
 * A field reading an optional column in a resolver of its own is listed in READ_IN_RESOLVERS.
 */
export function timelineReadOf(info: GraphQLResolveInfo): TimelineRead {
  let read = readOfOperation.get(info.operation);
  if (!read) {
    const exposed = exposedColumns(info.schema);
    const wanted = new Set<OptionalColumn>();
    let sources = false;
    const collect = (node: ASTNode) =>
      visit(node, {
        Field: (field) => {
          exposed.get(field.name.value)?.forEach((column) => wanted.add(column));
          if (field.name.value === 'sources') sources = true;
        },
      });
    collect(info.operation);
    for (const fragment of Object.values(info.fragments)) collect(fragment);
    read = { columns: OPTIONAL_COLUMNS.filter((column) => wanted.has(column)), sources };
    readOfOperation.set(info.operation, read);
  }
  return read;
}
