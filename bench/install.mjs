// The benchmarks' own packages (bench/package.json: PostGraphile 5, autocannon) live apart from the
// gateway's, so that installing the gateway neither downloads them nor warns about them: PostGraphile 5
// declares Node >= 22. The bench scripts run this first; it installs them when they are missing or
// older than bench/package-lock.json, and otherwise does nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const bench = import.meta.dirname;
const installed = path.join(bench, 'node_modules', '.package-lock.json');
const locked = path.join(bench, 'package-lock.json');

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(locked).mtimeMs) {
  process.stderr.write("installing the benchmarks' own packages (bench/package.json: PostGraphile 5, autocannon; npm's Node >= 22 engine warnings for PostGraphile are not shown)\n");
  execFileSync('npm', ['ci', '--prefix', bench, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}
