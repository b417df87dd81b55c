import { execFileSync } from 'node:child_process';

/**
 * The CLI tests run bin/conversation-gateway.js, which runs dist/, and the explorer's test serves
 * dist/explorer: build both from the sources under test.
 */
export default function buildDist(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'explorer/vite.config.ts'], { stdio: 'inherit' });
}
