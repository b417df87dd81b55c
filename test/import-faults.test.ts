import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTwilioExport } from '../bench/generate-twilio-export.js';
import { runCli, useCliDatabase } from './support/cli.js';

// `conversation-gateway import` meeting what a hostile or unlucky user brings: the same file
// imported twice at once, and a file holding one enormous string.

const cli = useCliDatabase('import-faults');

// Two processes on one embedded database are refused outright (it is locked); PostgreSQL lets them race.
describe.skipIf(!process.env.DATABASE_URL)('the same file imported into one session by two processes at once', () => {
  it('both succeed, one creating the session and the messages, the other finding them present; three times over', async () => {
    const file = path.join(cli.dir, 'export.json');
    const { messages } = await generateTwilioExport(file, cli.account.accountSid, 2);
    for (let round = 1; round <= 3; round++) {
      const before = await cli.stored();
      const args = ['import', '--json', '--account', cli.account.accountSid, '--format', 'twilio', '--session', `race-${round}`, file];
      const results = await Promise.all([runCli(args, cli.env), runCli(args, cli.env)]);
      for (const result of results) {
        expect(result.stderr).not.toMatch(/prisma|invocation|not valid JSON/i);
        expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
      }
      const summaries = results.map((result) => JSON.parse(result.stdout));
      const [first, second] = summaries.sort((a, b) => b.sessionsCreated - a.sessionsCreated);
      expect(first).toMatchObject({ sessionsCreated: 1, sessionsPresent: 0, messagesCreated: messages, messagesPresent: 0 });
      expect(second).toMatchObject({ sessionsCreated: 0, sessionsPresent: 1, messagesCreated: 0, messagesPresent: messages });
      expect(await cli.stored()).toEqual({ sessions: before.sessions + 1, items: before.items + messages });
    }
  });
});

/** A Twilio page whose one message's text is `megabytes` MB long, written as it is generated. */
async function pageWithHugeText(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  const head = { id: 'aia_msg_huge', session_id: 'huge', role: 'user', meta: {}, date_created: '2025-01-01T00:00:00Z', date_updated: '2025-01-01T00:00:00Z' };
  out.write(`{"messages":[${JSON.stringify(head).slice(0, -1)},"content":{"text":"`);
  const chunk = 'x'.repeat(1e6);
  for (let written = 0; written < megabytes; written++) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end('"}}],"meta":{"key":"messages"}}');
  await once(out, 'finish');
}

describe('a string larger than a message may be', () => {
  it('400 MB of text in one message: refused as over MAX_MESSAGE_BYTES while streaming, in the memory a 2 MB one takes, nothing stored', async () => {
    const peaks: number[] = [];
    for (const megabytes of [2, 400]) {
      const file = path.join(cli.dir, `huge-${megabytes}.json`);
      await pageWithHugeText(file, megabytes);
      try {
        const before = await cli.stored();
        const result = await runCli(['import', '--account', cli.account.accountSid, '--format', 'twilio', file], cli.env);
        expect(result.stderr).toMatch(new RegExp(`^conversation-gateway: ${file}: message 1: .*at most 1048576 .*\\(MAX_MESSAGE_BYTES\\)\\. Nothing from ${file} was stored\\.\\n$`));
        expect(result.code).toBe(1);
        expect(await cli.stored()).toEqual(before);
        peaks.push(result.peakRss);
      } finally {
        await rm(file, { force: true });
      }
    }
    const [small, large] = peaks as [number, number];
    console.log(`import peak RSS: a 2 MB string ${(small / 2 ** 20).toFixed(0)} MiB, a 400 MB string ${(large / 2 ** 20).toFixed(0)} MiB`);
    expect(large - small).toBeLessThan(50 * 2 ** 20);
  });
});
