import type { SealingKey } from '../store/sealing.js';
import { invalidArgument } from './errors.js';

/**
 * Every node type, by the code its global ids carry. A code stays with its type for as long as ids
 * handed out may come back: a new type takes the next code.
 */
const nodeTypes = ['Session', 'ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source'];

const NODE_SCOPE = 'node';

/**
 * A node's global id: its type and row id, sealed with the deployment's key (store/sealing.ts), so
 * that an id shows no row count and cannot be edited into another row's or another type's id.
 */
export function encodeGlobalId(typename: string, id: string | number | bigint, context: { sealingKey: SealingKey }): string {
  const code = nodeTypes.indexOf(typename);
  if (code < 0) throw new Error(`The node type ${typename} has no global id code`);
  const payload = Buffer.alloc(9);
  payload.writeUInt8(code);
  payload.writeBigUInt64BE(BigInt(id), 1);
  return context.sealingKey.seal(NODE_SCOPE, payload);
}

/** The type and row id a global id stands for; an id this API did not hand out is refused. */
export function decodeGlobalId(globalId: string, context: { sealingKey: SealingKey }): { typename: string; id: string } {
  const payload = context.sealingKey.open(NODE_SCOPE, globalId);
  const typename = payload?.length === 9 ? nodeTypes[payload.readUInt8()] : undefined;
  if (!payload || !typename) throw invalidArgument(`"${globalId}" is not an id this API handed out`);
  return { typename, id: String(payload.readBigUInt64BE(1)) };
}
