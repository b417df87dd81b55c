// The benchmark's specialist peer: PostGraphile v5 over the gateway's own tables, which compiles a
// whole GraphQL query into one SQL statement. Run: node -r ./bench/peers/polyfill.cjs bench/peers/postgraphile.mjs
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT ?? 5678);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'] })],
  grafserv: { port, graphiql: false },
  grast: { explain: false },
});
const server = createServer();
pgl.createServ(grafserv).addTo(server);
server.listen(port, '127.0.0.1', () => console.log(`postgraphile listening on http://127.0.0.1:${port}`));
if (process.env.PRINT_SCHEMA) {
  const { printSchema } = await import('graphql');
  console.log(printSchema(await pgl.getSchema()));
  process.exit(0);
}
