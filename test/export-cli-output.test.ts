import { writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useCliDatabase } from './support/cli.js';

// Where `export` writes: a file it cannot open is a sentence and exit code 1, not a crash; a failed
// export leaves a file that was there before as it was (yesterday's export under the same name).

const cli = useCliDatabase('export-output');

describe('export to a file', () => {
  it('names a file it cannot create in a sentence, exit code 1, without a stack trace', async () => {
    const result = await runCli(['export', '--account', cli.account.accountSid, path.join(cli.dir, 'no-such-folder', 'out.jsonl')], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^conversation-gateway: .*no-such-folder/);
    expect(result.stderr).not.toMatch(/node:internal|triggerUncaughtException/);
  }, 60_000);

  it('that fails leaves the file already there untouched', async () => {
    const earlier = path.join(cli.dir, 'backup.jsonl');
    await writeFile(earlier, 'yesterday\n');
    const result = await runCli(['export', '--account', `AC${'0'.repeat(32)}`, earlier], cli.env);
    expect(result.code).toBe(1);
    expect(await readFile(earlier, 'utf8').catch((error: Error) => error.message)).toBe('yesterday\n');
  }, 60_000);
});
