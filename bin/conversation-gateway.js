#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=256
// A heap budget by default: with the machine's whole memory to grow into, V8 lets short-lived
// garbage (pages streamed through) pile up for hundreds of megabytes before collecting it. And two
// malloc arenas: glibc gives each of Node's threads one of its own, which hold ~70 MiB of freed
// memory under load. Both are set before the process starts; run
// `node --max-old-space-size=N bin/conversation-gateway.js` for other settings.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('conversation-gateway is not built yet: run "npm run build" (npm install does it).');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Exit now rather than when the event loop drains: the schema engine's WebAssembly runtime keeps
// an idle timer alive for seconds after its work is done.
process.exit(code);
