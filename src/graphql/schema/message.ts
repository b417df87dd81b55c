import type { ItemKind, TimelineItem } from '../../store/timeline.js';
import { builder } from '../builder.js';

export const MessageType = builder.enumType('MessageType', {
  description: 'The kinds of item a session timeline holds.',
  values: {
    CHAT_MESSAGE: { description: 'A message of a user, an assistant or a human agent.' },
    TOOL_CALL: { description: 'A tool call (Twilio role "tool").' },
    KNOWLEDGE_CALL: { description: 'A knowledge call (Twilio role "knowledge").' },
    SOURCE: { description: 'A retrieved source, right after the message it belongs to.' },
  } as const,
});

export const Role = builder.enumType('Role', {
  values: {
    USER: { value: 'user' },
    ASSISTANT: { value: 'assistant' },
    HUMAN_AGENT: { value: 'human_agent' },
    TOOL: { value: 'tool' },
    KNOWLEDGE: { value: 'knowledge' },
  } as const,
});

const typeNameOfKind: Record<ItemKind, string> = {
  CHAT_MESSAGE: 'ChatMessage',
  TOOL_CALL: 'ToolCall',
  KNOWLEDGE_CALL: 'KnowledgeCall',
  SOURCE: 'Source',
};

export const Message = builder.prismaInterface('TimelineItem', {
  name: 'Message',
  description: 'An entry of a session timeline.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (item) => typeNameOfKind[item.kind],
  fields: (t) => ({
    position: t.exposeInt('seq', { description: "Place in the session's timeline: 1, 2, 3…" }),
    accountSid: t.exposeString('accountSid'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** The `where` that loads one timeline item as a node (its id opened by decodeGlobalId): of this kind, and of the caller's account only. */
export function findItemOfKind(kind: ItemKind) {
  return (id: string, context: { account: { sid: string } }) => {
    return { id: BigInt(id), kind, accountSid: context.account.sid };
  };
}

