import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

/**
 * Writes a Twilio Conversation History export of about --megabytes MB: pages of 1000 messages,
 * one after another, as saved from the API, spread over sessions of --per-session messages.
 */
export async function generateTwilioExport(file: string, accountSid: string, megabytes: number, perSession = 5000): Promise<{ messages: number; bytes: number }> {
  const out = createWriteStream(file);
  const target = megabytes * 1e6;
  let bytes = 0;
  let messages = 0;
  const roles = ['user', 'assistant', 'tool', 'knowledge'];
  for (let pageNumber = 0; bytes < target; pageNumber++) {
    const page = [];
    for (let n = 0; n < 1000 && bytes < target; n++, messages++) {
      const session = Math.floor(messages / perSession);
      const role = roles[messages % 4]!;
      const date = new Date(Date.UTC(2025, 0, 1) + messages * 1000).toISOString().replace('.000Z', 'Z');
      page.push({
        id: `aia_msg_bench_${messages}`,
        account_sid: accountSid,
        assistant_id: 'aia_asst_bench',
        session_id: `voice:CAbench${session}`,
        identity: `user:+1555${String(session).padStart(7, '0')}`,
        role,
        content: role === 'tool' ? { name: 'lookup_order', arguments: { order: messages } } : { text: `Message ${messages}: a sentence of ordinary length, about an order and its delivery.` },
        meta: role === 'assistant' ? { confidence: 0.87 } : {},
        date_created: date,
        date_updated: date,
      });
    }
    const text = `${JSON.stringify({ messages: page, meta: { page: pageNumber, page_size: 1000, key: 'messages' } })}\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { messages, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { account: { type: 'string' }, megabytes: { type: 'string', default: '200' } } });
  if (!positionals[0] || !values.account) {
    console.error('Usage: tsx bench/generate-twilio-export.ts --account AC… [--megabytes 200] FILE');
    process.exit(2);
  }
  const result = await generateTwilioExport(positionals[0], values.account, Number(values.megabytes));
  console.log(`${positionals[0]}: ${result.messages} messages, ${(result.bytes / 1e6).toFixed(1)} MB`);
}
