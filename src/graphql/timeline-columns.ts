import { visit, type ASTNode, type GraphQLResolveInfo } from 'graphql';
import { OPTIONAL_COLUMNS, type OptionalColumn } from '../store/timeline.js';

const columnsOfOperation = new WeakMap<object, readonly OptionalColumn[]>();

/**
 * The optional timeline columns an operation can show: those a field anywhere in its document is
 * named after (each is exposed by a field of its own name: `content`, `meta`, `updatedAt`…), so
 * a page read for it leaves the others out. Worked out once per parsed document; an alias does not
 * hide a field, its name is what counts.
 */
export function timelineColumnsOf(info: GraphQLResolveInfo): readonly OptionalColumn[] {
  let columns = columnsOfOperation.get(info.operation);
  if (!columns) {
    const named = new Set<string>();
    const collect = (node: ASTNode) => visit(node, { Field: (field) => void named.add(field.name.value) });
    collect(info.operation);
    for (const fragment of Object.values(info.fragments)) collect(fragment);
    columns = OPTIONAL_COLUMNS.filter((column) => named.has(column));
    columnsOfOperation.set(info.operation, columns);
  }
  return columns;
}
