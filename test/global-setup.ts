import { execFileSync } from 'node:child_process';

/** The CLI tests run bin/conversation-gateway.js, which runs dist/: build it from the sources under test. */
export default function buildDist(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
