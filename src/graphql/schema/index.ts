import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.js';
import './account.js';
import './assistant.js';
import './message.js';
import './chat-message.js';
import './tool-call.js';
import './knowledge-call.js';
import './source.js';
import './conversation-message.js';
import './session.js';
import './session-list.js';
import './search.js';
import './append-messages.js';
import './delete-session.js';
import './erase-identity.js';
import './message-added.js';

export const schema = lexicographicSortSchema(builder.toSchema());
