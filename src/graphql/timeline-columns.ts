import { isInterfaceType, isObjectType, visit, type ASTNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { OPTIONAL_COLUMNS, type OptionalColumn } from '../store/timeline.js';

const optional = new Set<string>(OPTIONAL_COLUMNS);
const columnsOfFieldNames = new WeakMap<GraphQLSchema, Map<string, OptionalColumn[]>>();
const columnsOfOperation = new WeakMap<object, readonly OptionalColumn[]>();

/** For each field name of the schema, the optional columns a field of that name exposes (Pothos records which). */
function exposedColumns(schema: GraphQLSchema): Map<string, OptionalColumn[]> {
  let byName = columnsOfFieldNames.get(schema);
  if (!byName) {
    byName = new Map();
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
 * The optional timeline columns an operation can show: those exposed by a field (of any type) that
 * the document names anywhere, aliases and fragments included, so a page read for it leaves the
 * others out. Worked out once per parsed document. A field that reads an optional column in a
 * resolver of its own, rather than exposing it, would have to be added here.
 */
export function timelineColumnsOf(info: GraphQLResolveInfo): readonly OptionalColumn[] {
  let columns = columnsOfOperation.get(info.operation);
  if (!columns) {
    const exposed = exposedColumns(info.schema);
    const wanted = new Set<OptionalColumn>();
    const collect = (node: ASTNode) => visit(node, { Field: (field) => exposed.get(field.name.value)?.forEach((column) => wanted.add(column)) });
    collect(info.operation);
    for (const fragment of Object.values(info.fragments)) collect(fragment);
    columns = OPTIONAL_COLUMNS.filter((column) => wanted.has(column));
    columnsOfOperation.set(info.operation, columns);
  }
  return columns;
}
