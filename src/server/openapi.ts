import { MAX_PAGE_SIZE } from '../store/pages.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string) => ({ type: [type, 'null'] });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description });

const twilioErrors = {
  '400': json(ref('TwilioError'), 'An invalid PageSize (20001, 20007 over 1000), Page (20001) or PageToken (21481)'),
  '401': json(ref('TwilioError'), 'Missing or wrong credentials (20003)'),
  '404': json(ref('TwilioError'), 'No such session for this account (20404)'),
  '405': json(ref('TwilioError'), 'A method other than GET (20004)'),
  default: json(ref('TwilioError'), 'Any other error, in the same shape'),
};

const sessionId = {
  name: 'sessionId',
  in: 'path',
  required: true,
  description: 'A session id ("voice:CA…", "session_…"; it may hold ":" and "/", raw or percent-encoded) or the session\'s name',
  schema: { type: 'string' },
};

const paging = [
  { name: 'PageSize', in: 'query', description: `Records a page (default 50)`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
  { name: 'Page', in: 'query', description: 'The page number; client state echoed in `meta`', schema: { type: 'integer', minimum: 0 } },
  { name: 'PageToken', in: 'query', description: 'Where the page starts, from `meta.next_page_url` or `previous_page_url`', schema: { type: 'string' } },
];

const analyticsOperation = (operationId: string) => ({
  get: {
    operationId,
    summary: 'Get Conversation Messages: every chat message of a session, oldest first, as one array',
    tags: ['analytics'],
    security: [{ bearerAuth: [] }],
    parameters: [sessionId],
    responses: {
      '200': json({ type: 'array', items: ref('AnalyticsChatMessage') }, 'The chat messages (tool and knowledge calls are not part of this model)'),
      '401': json(ref('AnalyticsError'), 'Missing or wrong credentials (authentication_error)'),
      '404': json(ref('AnalyticsError'), 'No such session for this account (resource_not_found)'),
      default: json(ref('AnalyticsError'), 'Any other error, in the same shape'),
    },
  },
});

/**
 * The two REST surfaces, as OpenAPI 3.1 (served at /openapi.json). The tests validate the golden
 * responses and the error responses against it, so it cannot drift from what is served.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'conversation-gateway REST APIs',
    version: '1',
    description:
      "Twilio AI Assistants' Conversation History API and the analytics Get Conversation Messages API, as the gateway serves them. The GraphQL API is described by its schema at /graphql.",
  },
  tags: [
    { name: 'twilio', description: 'Twilio AI Assistants Conversation History' },
    { name: 'analytics', description: 'Analytics Get Conversation Messages' },
  ],
  paths: {
    '/v1/Sessions': {
      get: {
        operationId: 'listSessions',
        summary: "The account's sessions, newest first",
        tags: ['twilio'],
        security: [{ basicAuth: [] }],
        parameters: paging,
        responses: { '200': json(ref('TwilioSessionList'), 'A page of sessions'), ...twilioErrors },
      },
    },
    '/v1/Sessions/{sessionId}': {
      get: {
        operationId: 'fetchSession',
        summary: 'One session',
        tags: ['twilio'],
        security: [{ basicAuth: [] }],
        parameters: [sessionId],
        responses: { '200': json(ref('TwilioSession'), 'The session'), ...twilioErrors },
      },
    },
    '/v1/Sessions/{sessionId}/Messages': {
      get: {
        operationId: 'listMessages',
        summary: "A session's messages, oldest first (sources are not Twilio messages and are not listed)",
        tags: ['twilio'],
        security: [{ basicAuth: [] }],
        parameters: [sessionId, ...paging],
        responses: { '200': json(ref('TwilioMessageList'), 'A page of messages'), ...twilioErrors },
      },
    },
    '/api/v1/conversations/{sessionId}/messages': analyticsOperation('getConversationMessages'),
    '/api/v1/analytics/conversations/{sessionId}/messages': analyticsOperation('getAnalyticsConversationMessages'),
  },
  components: {
    securitySchemes: {
      basicAuth: { type: 'http', scheme: 'basic', description: 'AccountSid:AuthToken, or ApiKeySid:Secret' },
      bearerAuth: { type: 'http', scheme: 'bearer', description: "The account's auth token, or an API key's secret" },
    },
    schemas: {
      TwilioMessage: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'account_sid', 'assistant_id', 'session_id', 'identity', 'role', 'content', 'meta', 'date_created', 'date_updated'],
        properties: {
          id: { type: 'string', pattern: '^aia_msg_' },
          account_sid: ref('AccountSid'),
          assistant_id: nullable('string'),
          session_id: { type: 'string' },
          identity: nullable('string'),
          role: { enum: ['user', 'assistant', 'human_agent', 'tool', 'knowledge'] },
          content: { type: 'object', description: 'As stored; `{"text": …}` for messages that came in through analytics' },
          meta: { type: 'object' },
          date_created: dateTime('Seconds precision, UTC'),
          date_updated: dateTime('Seconds precision, UTC'),
        },
      },
      TwilioSession: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'account_sid', 'assistant_id', 'verified', 'identity', 'date_created', 'date_updated'],
        properties: {
          id: { type: 'string' },
          account_sid: ref('AccountSid'),
          assistant_id: nullable('string'),
          verified: { type: 'boolean' },
          identity: nullable('string'),
          date_created: dateTime('Seconds precision, UTC'),
          date_updated: dateTime('The time of the latest message'),
        },
      },
      TwilioMessageList: {
        type: 'object',
        additionalProperties: false,
        required: ['messages', 'meta'],
        properties: { messages: { type: 'array', items: ref('TwilioMessage') }, meta: ref('TwilioPageMeta') },
      },
      TwilioSessionList: {
        type: 'object',
        additionalProperties: false,
        required: ['sessions', 'meta'],
        properties: { sessions: { type: 'array', items: ref('TwilioSession') }, meta: ref('TwilioPageMeta') },
      },
      TwilioPageMeta: {
        type: 'object',
        additionalProperties: false,
        required: ['page', 'page_size', 'first_page_url', 'previous_page_url', 'url', 'next_page_url', 'key'],
        properties: {
          page: { type: 'integer', minimum: 0 },
          page_size: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
          first_page_url: { type: 'string', format: 'uri' },
          previous_page_url: { type: ['string', 'null'], format: 'uri' },
          url: { type: 'string', format: 'uri' },
          next_page_url: { type: ['string', 'null'], format: 'uri' },
          key: { enum: ['messages', 'sessions'] },
        },
      },
      TwilioError: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message', 'more_info', 'status'],
        properties: {
          code: { type: 'integer' },
          message: { type: 'string' },
          more_info: { type: 'string', format: 'uri' },
          status: { type: 'integer', minimum: 400, maximum: 599 },
        },
      },
      AnalyticsChatMessage: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'role', 'content', 'timestamp'],
        properties: {
          id: { type: 'string' },
          role: { enum: ['user', 'assistant', 'human_agent'] },
          content: { type: 'string' },
          timestamp: dateTime('Milliseconds precision, UTC'),
          metadata: {
            type: 'object',
            description: 'Sources, confidence and any other keys the message came with; left out when all are empty',
            properties: {
              sources: { type: 'object', additionalProperties: ref('AnalyticsSource') },
              confidence: { type: 'number' },
            },
          },
        },
      },
      AnalyticsSource: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string' }, url: nullable('string'), score: nullable('number'), title: nullable('string') },
      },
      AnalyticsError: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'error'],
        properties: {
          status: { const: 'error' },
          error: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'message'],
            properties: {
              code: { enum: ['authentication_error', 'permission_denied', 'resource_not_found', 'validation_error', 'rate_limit_exceeded', 'server_error'] },
              message: { type: 'string' },
            },
          },
        },
      },
      AccountSid: { type: 'string', pattern: '^AC[0-9a-fA-F]{32}$' },
    },
  },
} as const;
