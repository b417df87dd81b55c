import { createServer, type Server } from 'node:http';
import type { MessageEvents } from '../live/message-events.js';
import type { PrismaClient } from '../store/database.js';
import { createAnalyticsRoute } from './analytics/route.js';
import { createGraphQLEndpoint } from './graphql-endpoint.js';
import { sendJson } from './http.js';
import { createTwilioRoutes } from './twilio/routes.js';

export interface GatewayOptions {
  prisma: PrismaClient;
  events: MessageEvents;
  graphiql: boolean;
  graphiqlToken?: string;
  /** The gateway's public origin when it sits behind a proxy; paging URLs are built on it. */
  publicUrl?: string;
}

/** The HTTP server: GraphQL at /graphql, the Twilio API under /v1/, the analytics API under /api/v1/. */
export function createGateway(options: GatewayOptions): Server {
  const graphql = createGraphQLEndpoint(options);
  const twilio = createTwilioRoutes(options);
  const analytics = createAnalyticsRoute(options);
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://gateway');
    if (url.pathname === '/graphql') return void graphql(request, response);
    if (url.pathname.startsWith('/v1/')) return void twilio(request, response, url);
    if (url.pathname.startsWith('/api/v1/')) return void analytics(request, response, url);
    sendJson(response, 404, { message: `Nothing at ${url.pathname}. GraphQL is served at /graphql.` });
  });
}
