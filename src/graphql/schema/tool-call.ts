import { builder } from '../builder.js';
import { ConversationMessage } from './conversation-message.js';
import { findItemOfKind, Message } from './message.js';

export const ToolCall = builder.prismaNode('TimelineItem', {
  variant: 'ToolCall',
  description: 'A tool call the assistant made (Twilio role "tool").',
  interfaces: [ConversationMessage, Message],
  id: { field: 'id' },
  findUnique: findItemOfKind('TOOL_CALL'),
  nullable: true,
  fields: (t) => ({
    toolName: t.exposeString('toolName', { nullable: true, description: 'Derived from `content` where it names the tool.' }),
  }),
});
