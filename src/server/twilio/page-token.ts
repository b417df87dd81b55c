import { GatewayError } from '../../errors.js';

/**
 * A Twilio PageToken: the store's cursor of a page's last (first) item, and which way to read
 * from it ("PA": the page after it, "PB": the page before it), the very cursor GraphQL hands out.
 * Opaque to clients, bound to its list through the cursor.
 */
export type PageTokenPosition = { after: string } | { before: string };

export function encodePageToken(position: PageTokenPosition): string {
  return 'after' in position ? `PA${position.after}` : `PB${position.before}`;
}

export function decodePageToken(token: string): PageTokenPosition {
  const cursor = token.slice(2);
  if (token.startsWith('PA') && cursor) return { after: cursor };
  if (token.startsWith('PB') && cursor) return { before: cursor };
  throw new GatewayError('invalid_cursor', `Invalid PageToken "${token}": use the next_page_url or previous_page_url of a page this API returned`);
}
