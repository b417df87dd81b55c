import { isInterfaceType, isObjectType, TypeInfo, visit, visitWithTypeInfo, type ASTNode, type GraphQLNamedType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { OPTIONAL_COLUMNS, type OptionalColumn } from '../store/timeline.js';

const optional = new Set<string>(OPTIONAL_COLUMNS);
const columnsOfFieldNames = new WeakMap<GraphQLSchema, Map<string, OptionalColumn[]>>();
const readOfOperation = new WeakMap<object, TimelineRead>();

/** Fields of the timeline's types that read an optional column in a resolver of their own rather than exposing it. */
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

/** Whether a type's fields are those of a timeline item: `Message`, and every type implementing it. */
function isTimelineItemType(schema: GraphQLSchema, type: GraphQLNamedType): boolean {
  const message = schema.getType('Message');
  return type === message || (isInterfaceType(message) && (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(message, type));
}

/** For each field name of the timeline's types, the optional columns a field of that name exposes (Pothos records which), or reads in its resolver. */
function exposedColumns(schema: GraphQLSchema): Map<string, OptionalColumn[]> {
  let byName = columnsOfFieldNames.get(schema);
  if (!byName) {
    byName = new Map(Object.entries(READ_IN_RESOLVERS));
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(isObjectType(type) || isInterfaceType(type)) || !isTimelineItemType(schema, type)) continue;
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
 * The optional timeline columns an operation can show: those of the timeline's fields (of
 * `Message` and the types implementing it) that the document names anywhere, aliases and
 * fragments included, so a page read for it leaves the others out, and the sources only when it
 * names `sources`. A field of another type (a session's `identity`, the query's `session`) reads
 * nothing of a page. Worked out once per parsed document.
 */
export function timelineReadOf(info: GraphQLResolveInfo): TimelineRead {
  let read = readOfOperation.get(info.operation);
  if (!read) {
    const exposed = exposedColumns(info.schema);
    const wanted = new Set<OptionalColumn>();
    let sources = false;
    const typeInfo = new TypeInfo(info.schema);
    const collect = (node: ASTNode) =>
      visit(
        node,
        visitWithTypeInfo(typeInfo, {
          Field: (field) => {
            const parent = typeInfo.getParentType();
            if (!parent || !isTimelineItemType(info.schema, parent)) return;
            exposed.get(field.name.value)?.forEach((column) => wanted.add(column));
            if (field.name.value === 'sources') sources = true;
          },
        }),
      );
    collect(info.operation);
    for (const fragment of Object.values(info.fragments)) collect(fragment);
    read = { columns: OPTIONAL_COLUMNS.filter((column) => wanted.has(column)), sources };
    readOfOperation.set(info.operation, read);
  }
  return read;
}
