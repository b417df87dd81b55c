import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/server/openapi.js';
import { useTestGateway } from './support/gateway.js';
import { expectMatchesOpenApi, responseSchemaPointer } from './support/openapi.js';

// The responses themselves are checked against the document where they are tested:
// test/rest-golden.test.ts (every golden body) and test/rest-errors.test.ts (every error).

const fixture = useTestGateway();

describe('/openapi.json', () => {
  it('serves the OpenAPI 3.1 document of the two REST surfaces, without credentials', async () => {
    const response = await fetch(`${fixture.gateway.url}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const served = (await response.json()) as typeof openApiDocument;
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expect(served.openapi).toBe('3.1.0');
    expect(Object.keys(served.paths)).toEqual([
      '/v1/Sessions',
      '/v1/Sessions/{sessionId}',
      '/v1/Sessions/{sessionId}/Messages',
      '/api/v1/conversations/{sessionId}/messages',
      '/api/v1/analytics/conversations/{sessionId}/messages',
    ]);
  });

  it('resolves every response schema it names', () => {
    for (const [template, item] of Object.entries(openApiDocument.paths)) {
      for (const status of Object.keys(item.get.responses)) {
        const path = template.replace('{sessionId}', 'voice:CA1');
        expect(responseSchemaPointer(path, status === 'default' ? 500 : Number(status))).toContain(status);
      }
    }
  });

  it('tells a wrong body from a right one', () => {
    expect(() => expectMatchesOpenApi('/api/v1/conversations/x/messages', 200, [{ id: 'a', role: 'robot', content: '', timestamp: '2025-01-01T00:00:00.000Z' }])).toThrow(/role/);
    expect(() => expectMatchesOpenApi('/v1/Sessions/x', 200, { id: 'x' })).toThrow(/account_sid/);
  });
});
