import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

export type Encoding = 'br' | 'gzip';

const compressors: Record<Encoding, (body: string | Buffer) => Promise<Buffer>> = {
  br: (body) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body, { level: 6 }),
};

/** A page or asset in the encoding the client chose. */
export function compress(encoding: Encoding, body: string | Buffer): Promise<Buffer> {
  return compressors[encoding](body);
}

/** The best encoding the client accepts (Accept-Encoding, `q=0` refusing one), or null. */
export function preferredEncoding(acceptEncoding: string | null): Encoding | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(/\s*;\s*/))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q))
      .map(([name]) => name!.toLowerCase()),
  );
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null;
}

/**
 * GraphiQL's page is 9 MB of inlined JavaScript, the same for every request: it is compressed once
 * per encoding (brotli about 1.9 MB, gzip about 2.4 MB) and sent so to clients that accept it.
 */
export function compressGraphiQLPage(): Plugin {
  let cached: { html: string; bodies: Map<Encoding, Promise<Buffer>> } | undefined;
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!response.headers.get('content-type')?.startsWith('text/html')) return;
      const encoding = preferredEncoding(request.headers.get('accept-encoding'));
      if (!encoding) return;
      const html = await response.text();
      if (cached?.html !== html) cached = { html, bodies: new Map() };
      let body = cached.bodies.get(encoding);
      if (!body) cached.bodies.set(encoding, (body = compressors[encoding](html)));
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-encoding', encoding);
      headers.set('vary', 'accept-encoding');
      headers.delete('content-length');
      setResponse(new fetchAPI.Response(new Uint8Array(await body), { status: response.status, headers }));
    },
  };
}
