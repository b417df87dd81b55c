import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '../../src/server/openapi.js';

const base = 'https://conversation-gateway.test/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument, $id: base });

const paths = openApiDocument.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
// The most specific template first: /v1/Sessions/{sessionId}/Messages before /v1/Sessions/{sessionId}.
const templates = Object.keys(paths)
  .sort((a, b) => b.replace(/\{\w+\}/g, '').length - a.replace(/\{\w+\}/g, '').length)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '.+')}$`) }));

const pointer = (...segments: string[]) => segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The schema the OpenAPI document gives a GET of this path answered with this status. */
export function responseSchemaPointer(pathAndQuery: string, status: number): string {
  const path = new URL(pathAndQuery, 'http://gateway').pathname;
  const template = templates.find(({ pattern }) => pattern.test(path))?.template;
  if (!template) throw new Error(`/openapi.json describes no path like ${path}`);
  const key = String(status) in paths[template]!.get.responses ? String(status) : 'default';
  return `${base}#/${pointer('paths', template, 'get', 'responses', key, 'content', 'application/json', 'schema')}`;
}

/** Fails the test unless `body` is what /openapi.json says a GET of `path` answers with `status`. */
export function expectMatchesOpenApi(pathAndQuery: string, status: number, body: unknown): void {
  const validate = ajv.getSchema(responseSchemaPointer(pathAndQuery, status))!;
  expect(validate(body), `${pathAndQuery} (${status}): ${ajv.errorsText(validate.errors)}`).toBe(true);
}
