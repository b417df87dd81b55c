import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTwilioExport } from '../bench/generate-twilio-export.js';
import { runCli, useCliDatabase } from './support/cli.js';

// `conversation-gateway import` as a user runs it: a process of its own, on the suite's database
// (a throwaway PostgreSQL database, or an embedded one in a directory the CLI opens itself).

const cli = useCliDatabase('import');

async function file(name: string, content: string): Promise<string> {
  const target = path.join(cli.dir, name);
  await writeFile(target, content);
  return target;
}

const message = (n: number, role = 'user') => ({
  id: `aia_msg_cli_${n}`,
  account_sid: `AC${'0'.repeat(32)}`,
  assistant_id: 'aia_asst_cli',
  session_id: 'voice:CAcli',
  identity: 'user:cli',
  role,
  content: { text: `message ${n}` },
  meta: {},
  date_created: '2025-01-01T00:00:00Z',
  date_updated: '2025-01-01T00:00:00Z',
});
const page = JSON.stringify({ messages: [message(1), message(2, 'assistant'), message(3, 'tool')], meta: { key: 'messages' } });

describe('conversation-gateway import', () => {
  it('imports a file, prints a summary, and finds it all present the second time', async () => {
    const input = await file('page.json', page);
    const first = await runCli(['import', '--account', cli.account.accountSid, '--format', 'twilio', input], cli.env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `${input}:\n  1 session created, 0 already present\n  3 messages created, 0 already present\n  0 sources created, 0 already present\n`,
    );
    const again = await runCli(['import', '--json', '--account', cli.account.accountSid, '--format', 'twilio', '-'], cli.env, page);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      file: 'standard input',
      sessionsCreated: 0,
      sessionsPresent: 1,
      messagesCreated: 0,
      messagesPresent: 3,
      sourcesCreated: 0,
      sourcesPresent: 0,
    });
    expect((await cli.stored()).items).toBe(3);
  });

  it.each([
    ['malformed JSON', () => page.replace('"meta":{}', '"meta":{,}'), ['--format', 'twilio'], /is not valid JSON, or is cut short/],
    ['an unknown role', () => page.replace('"role":"tool"', '"role":"wizard"'), ['--format', 'twilio'], /message 3\.role: Invalid option: expected one of/],
    ['a missing id', () => page.replace('"id":"aia_msg_cli_2",', ''), ['--format', 'twilio'], /message 2\.id: Invalid input/],
    ['the wrong --format', () => page, ['--format', 'analytics', '--session', 's'], /looks like a Twilio page: use --format twilio/],
    ['a Twilio file given --format archive', () => [message(31), message(32)].map((m) => JSON.stringify(m)).join('\n'), ['--format', 'archive'], /line 1 is not the header of a gateway archive \(it is a Twilio message: use --format twilio\)/],
    ['an archive given --format twilio', () => `${JSON.stringify({ type: 'archive', version: 1, account: { sid: cli.account.accountSid, name: 'A', date_created: '2025-01-01T00:00:00Z' } })}\n`, ['--format', 'twilio'], /line 1 is the header of a gateway archive: use --format archive/],
    ['an archive message before its session', () => `${JSON.stringify({ type: 'archive', version: 1, account: { sid: cli.account.accountSid, name: 'A', date_created: '2025-01-01T00:00:00Z' } })}\n${JSON.stringify({ type: 'message', session_id: 's', id: 'm', kind: 'CHAT_MESSAGE', origin: 'TWILIO', role: 'user', identity: null, assistant_id: null, content: {}, meta: {}, text: null, confidence: null, tool_name: null, date_created: '2025-01-01T00:00:00Z', date_updated: '2025-01-01T00:00:00Z', sources: [] })}\n`, ['--format', 'archive'], /line 2: session "s" has no line before its messages/],
    ['a truncated file', () => page.slice(0, page.length / 2), ['--format', 'twilio'], /is cut short/],
    ['an unknown account', () => page.replaceAll('aia_msg_cli_', 'aia_msg_other_'), ['--format', 'twilio', '--account', `AC${'f'.repeat(32)}`], /There is no account ACf+/],
    ['a malformed line in JSON Lines', () => [message(21), message(22), message(23)].map((m) => JSON.stringify(m)).join('\n').replace('"role":"user","content":{"text":"message 22"}', '"role":"user" "content":{}'), ['--format', 'twilio'], /is not valid JSON, or is cut short: .* \(line 2\)/],
    // Past the first batch of 500, already written when message 601 is read: only the transaction can take it back.
    ['a bad message 601 of 700', () => JSON.stringify({ messages: Array.from({ length: 700 }, (_, n) => message(n + 1001, n === 600 ? 'wizard' : 'user')) }), ['--format', 'twilio'], /message 601\.role: Invalid option/],
  ])('%s: a clear error, exit code 1, nothing stored', async (_name, content, args, problem) => {
    const before = (await cli.stored()).items;
    const input = await file('bad.json', content());
    const result = await runCli(['import', '--account', cli.account.accountSid, ...args, input], cli.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(problem);
    expect(result.stderr).toContain(`Nothing from ${input} was stored.`);
    expect((await cli.stored()).items).toBe(before);
  });

  it('imports JSON Lines, one message a line', async () => {
    const input = await file('messages.jsonl', [message(11), message(12, 'assistant')].map((m) => JSON.stringify(m)).join('\n'));
    const before = (await cli.stored()).items;
    const result = await runCli(['import', '--json', '--account', cli.account.accountSid, '--format', 'twilio', input], cli.env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ messagesCreated: 2, messagesPresent: 0 });
    expect((await cli.stored()).items).toBe(before + 2);
  });

  it('an unknown --format is a usage error, exit code 2', async () => {
    const result = await runCli(['import', '--account', cli.account.accountSid, '--format', 'csv', 'x.csv'], cli.env);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('Pass --format twilio, analytics or archive, not "csv"') });
  });

  it('streams: a file six times larger does not take more memory', async () => {
    const small = path.join(cli.dir, 'small.json');
    const large = path.join(cli.dir, 'large.json');
    await generateTwilioExport(small, cli.account.accountSid, 4);
    await generateTwilioExport(large, cli.account.accountSid, 24);
    // Each file imported twice (the second time it stores nothing new), its lower peak taken: on
    // PGlite the database runs in the importing process too, and one run's peak now and then comes
    // out tens of MiB above the others (14 to 45 MiB between these two files, on one machine).
    const runs = [];
    for (const input of [small, large]) {
      const peaks = [];
      for (let run = 0; run < 2; run++) {
        const result = await runCli(['import', '--account', cli.account.accountSid, '--format', 'twilio', input], cli.env);
        expect(result.code, result.stderr).toBe(0);
        peaks.push(result.peakRss);
      }
      runs.push(Math.min(...peaks));
    }
    const [smallPeak, largePeak] = runs as [number, number];
    console.log(`import peak RSS: 4 MB file ${(smallPeak / 2 ** 20).toFixed(0)} MiB, 24 MB file ${(largePeak / 2 ** 20).toFixed(0)} MiB`);
    // Read whole and parsed, the larger file alone takes some 60 MiB more than the smaller.
    expect(largePeak - smallPeak).toBeLessThan(40 * 2 ** 20);
  });
});
