#!/usr/bin/env -S node --max-old-space-size=256
// A heap budget by default: with the machine's whole memory to grow into, V8 lets short-lived
// garbage (pages streamed through) pile up for hundreds of megabytes before collecting it. Run
// `node --max-old-space-size=N bin/conversation-gateway.js` for another budget.
// Runs the TypeScript sources directly: no build step between a clone and a running gateway.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit now rather than when the event loop drains: the schema engine's WebAssembly runtime keeps
// an idle timer alive for seconds after its work is done.
process.exit(code);
