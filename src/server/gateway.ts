import { createServer, type Server } from 'node:http';
import type { PrismaClient } from '../store/database.js';
import { createGraphQLEndpoint } from './graphql-endpoint.js';

export interface GatewayOptions {
  prisma: PrismaClient;
  graphiql: boolean;
  graphiqlToken?: string;
}

/** The HTTP server: GraphQL at /graphql; anything else is a 404. */
export function createGateway(options: GatewayOptions): Server {
  const graphql = createGraphQLEndpoint(options);
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/graphql') return void graphql(request, response);
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: `Nothing at ${path}. GraphQL is served at /graphql.` }));
  });
}
