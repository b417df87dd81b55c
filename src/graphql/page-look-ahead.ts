import { getArgumentValues, getNamedType, isObjectType, Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The arguments of the one `field` (a connection) the selection of the field being resolved asks
 * for, variables and defaults applied as its own resolver will be given them: so that a resolver
 * can read the object and that page in one statement. Undefined unless there is exactly one such
 * field, reached through no @skip or @include (the resolver then reads as usual). Works on
 * graphql-js's and graphql-jit's resolve info alike: both carry the field's nodes, fragments and
 * coerced variables.
 */
export function argumentsAhead(info: GraphQLResolveInfo, field: string): Record<string, unknown> | undefined {
  const type = getNamedType(info.returnType);
  const definition = isObjectType(type) ? type.getFields()[field] : undefined;
  if (!definition) return undefined;
  const found: FieldNode[] = [];
  let plain = true;
  const applies = (condition: string | undefined) => !condition || condition === type.name || (type as GraphQLObjectType).getInterfaces().some((i) => i.name === condition);
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.directives?.length) plain = false;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === field) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) walk(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) walk(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  if (!plain || found.length !== 1) return undefined;
  return getArgumentValues(definition, found[0]!, info.variableValues);
}
