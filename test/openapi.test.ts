import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/server/openapi.js';
import { useTestGateway } from './support/gateway.js';
import { expectMatchesOpenApi, responseSchemaPointer } from './support/openapi.js';

// The responses themselves are checked against the document where they are tested:
// test/rest-golden.test.ts (every golden body) and test/rest-errors.test.ts (every error).

const fixture = useTestGateway();

/** What a local JSON pointer (`#/a/b~1c`) names in the document, or undefined when it names nothing. */
function resolvePointer(document: unknown, pointer: string): unknown {
  return pointer
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), document);
}

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

  it('resolves every pointer: the response schemas the tests look up and every $ref in the document', () => {
    const document = JSON.parse(JSON.stringify(openApiDocument)) as unknown;
    const pointers: string[] = [];
    for (const [template, item] of Object.entries(openApiDocument.paths)) {
      for (const status of Object.keys(item.get.responses)) {
        const pointer = responseSchemaPointer(template.replace('{sessionId}', 'voice:CA1'), status === 'default' ? 500 : Number(status));
        expect(pointer).toContain(`/responses/${status}/`);
        pointers.push(pointer.slice(pointer.indexOf('#')));
      }
    }
    const refs = (value: unknown): string[] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner)))
        : [];
    const documentRefs = refs(document);
    expect(documentRefs.length).toBeGreaterThan(10);
    for (const pointer of [...pointers, ...documentRefs]) {
      expect(pointer, pointer).toMatch(/^#\//);
      expect(resolvePointer(document, pointer), `${pointer} points at nothing`).toBeTypeOf('object');
    }
  });

  it('tells a wrong body from a right one', () => {
    expect(() => expectMatchesOpenApi('/api/v1/conversations/x/messages', 200, [{ id: 'a', role: 'robot', content: '', timestamp: '2025-01-01T00:00:00.000Z' }])).toThrow(/role/);
    expect(() => expectMatchesOpenApi('/v1/Sessions/x', 200, { id: 'x' })).toThrow(/account_sid/);
  });
});
