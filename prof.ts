import { createReadStream } from 'node:fs';
import { openDatabase } from './src/store/database.ts';
import { importMessages } from './src/import/importer.ts';
const db = await openDatabase({ url: 'postgresql://postgres@127.0.0.1:5432/impbench' });
const sid = (await db.prisma.account.findFirst())!.sid;
await db.prisma.timelineItem.deleteMany({}); await db.prisma.session.deleteMany({});
const mb = (n: number) => (n / 2 ** 20).toFixed(0);
let last = Date.now();
const t0 = Date.now();
await importMessages(db.prisma, createReadStream('/tmp/impbench/export.json'), 'x', { accountSid: sid, format: 'twilio' }, (p) => {
  if (Date.now() - last > 2000) { last = Date.now(); const m = process.memoryUsage(); console.log(`${((Date.now()-t0)/1000).toFixed(0)}s ${p.messages} rss ${mb(m.rss)} heap ${mb(m.heapUsed)} ext ${mb(m.external)} ab ${mb(m.arrayBuffers)}`); }
});
console.log('done', (Date.now() - t0) / 1000);
await db.close();
