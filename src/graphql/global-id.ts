import { invalidArgument } from './errors.js';

/**
 * The row id inside a global ID ("Type:123", decoded by the Relay plugin, which has already
 * matched the type name). Every node's lookup parses its id here, so a malformed one is refused
 * the same way everywhere.
 */
export function rowIdOf(id: string, typename: string): bigint {
  if (!/^\d{1,19}$/.test(id)) throw invalidArgument(`"${id}" is not a valid ${typename} id`);
  return BigInt(id);
}
