// The Prisma CLI depends on @prisma/streams-local only for `prisma dev` (a local database server
// this project does not use), and every release of it declares Node >= 22, so npm warned about it
// on every install. On Node 20 the real one cannot run anyway: it imports node:sqlite. This stand-in,
// put in its place by the root package.json's overrides, fails the same call with a message saying why.
export async function startLocalDurableStreamsServer() {
  throw new Error(
    "`prisma dev` is not available in this project: its streams server (@prisma/streams-local) needs Node 22, and the gateway's package.json replaces it so that installs on Node 20 stay free of engine warnings. Use the embedded PGlite default or a PostgreSQL of your own (DATABASE_URL).",
  );
}
