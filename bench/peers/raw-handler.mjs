// The benchmark's floor: a bare node:http + pg handler that serves the same JSON with no framework,
// the practical limit for Node on this machine.
//   GET /first-page?account=AC…&session=ID   the first 50 timeline items with their sources (scenario 1)
//   GET /analytics?account=AC…&session=ID    the analytics array of the session (scenario 4)
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const port = Number(process.env.PORT ?? 5679);

const firstPage = `
  WITH s AS (SELECT id FROM session WHERE "accountSid" = $1 AND ("sessionId" = $2 OR name = $2) LIMIT 1),
  page AS (SELECT i.* FROM timeline_item i, s WHERE i."sessionPk" = s.id ORDER BY i.seq LIMIT 51)
  SELECT p.id, p.seq, p.kind, p."messageId", p.role, p.text, p.confidence, p."sourceKey", p.url, p."createdAt",
         (SELECT coalesce(json_agg(json_build_object('key', c."sourceKey", 'text', c.text, 'url', c.url, 'score', c.score, 'title', c.title) ORDER BY c.seq), '[]')
            FROM timeline_item c WHERE c."parentId" = p.id) AS sources
  FROM page p ORDER BY p.seq`;

const analytics = `
  WITH s AS (SELECT id FROM session WHERE "accountSid" = $1 AND ("sessionId" = $2 OR name = $2) LIMIT 1)
  SELECT i.id, i."messageId", i.role, i.text, i.confidence, i.meta, i."createdAt",
         (SELECT json_agg(json_build_object('key', c."sourceKey", 'text', c.text, 'url', c.url, 'score', c.score, 'title', c.title) ORDER BY c.seq)
            FROM timeline_item c WHERE c."parentId" = i.id) AS sources
  FROM timeline_item i, s WHERE i."sessionPk" = s.id AND i.kind = 'CHAT_MESSAGE' ORDER BY i.seq`;

const typename = { CHAT_MESSAGE: 'ChatMessage', TOOL_CALL: 'ToolCall', KNOWLEDGE_CALL: 'KnowledgeCall', SOURCE: 'Source' };

function analyticsMessage(row) {
  const metadata = {};
  if (row.sources) metadata.sources = Object.fromEntries(row.sources.map(({ key, title, ...source }) => [key, title == null ? source : { ...source, title }]));
  if (row.confidence != null) metadata.confidence = row.confidence;
  Object.assign(metadata, row.meta ?? {});
  return {
    id: row.messageId,
    role: row.role,
    content: row.text ?? '',
    timestamp: row.createdAt.toISOString(),
    ...(Object.keys(metadata).length || row.meta ? { metadata } : {}),
  };
}

createServer(async (request, response) => {
  const url = new URL(request.url, 'http://raw');
  const params = [url.searchParams.get('account'), url.searchParams.get('session')];
  try {
    let body;
    if (url.pathname === '/first-page') {
      const { rows } = await pool.query(firstPage, params);
      const items = rows.slice(0, 50);
      body = {
        edges: items.map((row) => ({
          cursor: Buffer.from(`k1:${row.seq}`).toString('base64url'),
          node: {
            __typename: typename[row.kind],
            position: row.seq,
            createdAt: row.createdAt.toISOString(),
            ...(row.kind === 'SOURCE' ? { key: row.sourceKey, url: row.url } : { messageId: row.messageId, role: row.role, text: row.text ?? '' }),
            ...(row.kind === 'CHAT_MESSAGE' ? { confidence: row.confidence, sources: row.sources } : {}),
          },
        })),
        pageInfo: { hasNextPage: rows.length > 50, endCursor: items.length ? Buffer.from(`k1:${items.at(-1).seq}`).toString('base64url') : null },
      };
    } else if (url.pathname === '/analytics') {
      const { rows } = await pool.query(analytics, params);
      body = rows.map(analyticsMessage);
    } else {
      response.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(body);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
}).listen(port, '127.0.0.1', () => console.log(`raw handler listening on http://127.0.0.1:${port}`));
