import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './src/graphql/schema/index.ts';

const documentTypes = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: { useTypeImports: true, scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' }, enumsAsTypes: true },
} as const;

// The schema comes from the Pothos builder itself, so schema.graphql can never drift from the code
// unnoticed: `npm run codegen:check` (run by `npm test`) fails when the committed file or the
// documents' types are stale. The tests' documents are typed in test/.
const config: CodegenConfig = {
  schema: printSchema(schema),
  ignoreNoDocuments: true,
  emitLegacyCommonJSImports: false,
  generates: {
    'schema.graphql': { plugins: ['schema-ast'] },
    'test/documents/': { ...documentTypes, documents: ['test/**/*.ts', '!test/documents/**'] },
    // The README's trusted-documents example: a frontend's documents and the list of them a
    // gateway started with GRAPHQL_TRUSTED_DOCUMENTS=examples/frontend/gql/persisted-documents.json runs.
    'examples/frontend/gql/': {
      ...documentTypes,
      documents: ['examples/frontend/*.ts'],
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
    // The explorer page's documents, sent by hash: its persisted list is what a gateway running
    // trusted documents only must be started with to serve the page.
    'explorer/gql/': {
      ...documentTypes,
      documents: ['explorer/src/**/*.{ts,tsx}'],
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
  },
};

export default config;
