import { analyticsMessageToStore, type AnalyticsMessage } from '../models/analytics-message.js';
import { twilioMessageToStore, type TwilioMessage } from '../models/twilio-message.js';
import { createAccount, type AccountCredentials } from '../store/accounts.js';
import { appendMessages, type NewMessage } from '../store/append.js';
import type { PrismaClient } from '../store/database.js';
import { ensureSession } from '../store/sessions.js';

const assistantId = 'aia_asst_demo_billing';

function at(minute: number, second: number): string {
  return new Date(Date.UTC(2025, 0, 15, 10, minute, second)).toISOString().replace('.000Z', 'Z');
}

/** A voice session as Twilio's Conversation History API returns it: a user, a tool call, a knowledge call, an answer. */
function twilioDemo(accountSid: string, sessionId: string): NewMessage[] {
  const message = (n: number, role: string, content: Record<string, unknown>, meta: Record<string, unknown> = {}): TwilioMessage => ({
    id: `aia_msg_demo_voice_${n}`,
    account_sid: accountSid,
    assistant_id: assistantId,
    session_id: sessionId,
    identity: 'user:+15555550100',
    role,
    content,
    meta,
    date_created: at(0, n * 3),
    date_updated: at(0, n * 3),
  });
  const knowledgeCall = twilioMessageToStore(
    message(3, 'knowledge', { query: 'late fee policy', knowledge_id: 'aia_know_billing_faq' }),
  );
  knowledgeCall.sources = [
    { key: '1', text: 'A late fee of $5 applies 10 days after the due date.', url: 'https://example.com/billing/late-fees', score: 0.92, title: 'Late fees' },
    { key: '2', text: 'Fees can be waived once per year on request.', url: null, score: 0.71, title: null },
  ];
  return [
    twilioMessageToStore(message(1, 'user', { text: 'Why was I charged a late fee on invoice 1042?' })),
    twilioMessageToStore(message(2, 'tool', { name: 'lookup_invoice', arguments: { invoice: '1042' }, output: { status: 'paid', days_late: 12 } })),
    knowledgeCall,
    twilioMessageToStore(
      message(4, 'assistant', { text: 'Invoice 1042 was paid 12 days late, so a $5 fee applied. I can ask to waive it once.' }, { confidence: 0.88 }),
    ),
  ];
}

/** A chat as the analytics product exports it: sources (one without url, one without title), confidence, a human agent. */
const analyticsDemo: AnalyticsMessage[] = [
  { id: 'msg_demo_chat_1', role: 'user', content: 'How do I reset my password? 🔑', timestamp: '2025-01-15T11:00:00.000Z' },
  {
    id: 'msg_demo_chat_2',
    role: 'assistant',
    content: 'Open Settings → Security and choose "Reset password" [1][2].',
    timestamp: '2025-01-15T11:00:02.000Z',
    metadata: {
      sources: {
        '1': { text: 'Passwords are reset from Settings → Security.', url: 'https://example.com/help/security', score: 0.82, title: 'Account security' },
        '2': { text: 'A reset link is valid for 30 minutes.', url: null, score: 0.64 },
      },
      confidence: 0.91,
      model: 'demo-model',
    },
  },
  { id: 'msg_demo_chat_3', role: 'user', content: 'The link expired. Can a person help?', timestamp: '2025-01-15T11:05:00.000Z' },
  { id: 'msg_demo_chat_4', role: 'human_agent', content: 'Hi, this is Sam from support: I have sent you a fresh link.', timestamp: '2025-01-15T11:06:30.000Z' },
];

/** Creates the demo account and its sessions, and returns the demo credentials. */
export async function seedDemo(prisma: PrismaClient): Promise<AccountCredentials> {
  const credentials = await createAccount(prisma, 'Demo');
  const { session: voice } = await ensureSession(prisma, credentials.accountSid, {
    sessionId: 'voice:CA00000000000000000000000000000001',
    name: 'billing-late-fee',
    assistantId,
    identity: 'user:+15555550100',
    verified: true,
    createdAt: new Date(at(0, 0)),
  });
  await appendMessages(prisma, voice, twilioDemo(credentials.accountSid, voice.sessionId));
  const { session: chat } = await ensureSession(prisma, credentials.accountSid, {
    sessionId: 'session_demo_password_reset',
    name: 'password-reset',
    createdAt: new Date('2025-01-15T11:00:00.000Z'),
  });
  await appendMessages(prisma, chat, analyticsDemo.map(analyticsMessageToStore));
  await ensureSession(prisma, credentials.accountSid, { sessionId: 'session_demo_empty', name: 'empty', createdAt: new Date('2025-01-16T09:00:00.000Z') });
  return credentials;
}
