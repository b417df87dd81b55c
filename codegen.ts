import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { schema } from './src/graphql/schema/index.ts';

// The schema comes from the Pothos builder itself, so schema.graphql can never drift from the code
// unnoticed: `npm run codegen:check` (run by `npm test`) fails when the committed file is stale.
const config: CodegenConfig = {
  schema: printSchema(schema),
  ignoreNoDocuments: true,
  emitLegacyCommonJSImports: false,
  generates: {
    'schema.graphql': { plugins: ['schema-ast'] },
    'src/graphql/documents/': {
      documents: ['src/**/*.ts', 'test/**/*.ts', '!src/graphql/documents/**', '!src/store/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' }, enumsAsTypes: true },
    },
    // The README's trusted-documents example: a frontend's documents and the list of them a
    // gateway started with GRAPHQL_TRUSTED_DOCUMENTS=examples/frontend/gql/persisted-documents.json runs.
    'examples/frontend/gql/': {
      documents: ['examples/frontend/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: { useTypeImports: true, scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' }, enumsAsTypes: true },
    },
  },
};

export default config;
