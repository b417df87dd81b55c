import { getNamedType, isInterfaceType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { schema } from '../../src/graphql/schema/index.js';

/**
 * A selection for each field of a timeline item's type that takes no arguments, but `sources`: the
 * field's name for a scalar or an enum, `field { id }` for an object; each a document can ask for
 * alone, to see what a page reads for it.
 */
export function fieldSelections(typeName: string): string[] {
  const type = schema.getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields()).flatMap((field) => {
    if (field.args.length || field.name === 'sources') return [];
    const named = getNamedType(field.type);
    if (isLeafType(named)) return [field.name];
    return (isObjectType(named) || isInterfaceType(named)) && 'id' in named.getFields() ? [`${field.name} { id }`] : [];
  });
}

/** Whether a timeline item's type has `sources`. */
export function citesSources(typeName: string): boolean {
  return 'sources' in (schema.getType(typeName) as GraphQLObjectType).getFields();
}
