import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../errors.js';
import { compress, preferredEncoding, type Encoding } from './compression.js';
import { isLoopback } from './http.js';
import { loadTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';

/** Where `npm run build` writes the explorer (the same folder whether this module runs from src/ or dist/). */
export const explorerDirectory = fileURLToPath(new URL('../../dist/explorer/', import.meta.url));

/** The page's GraphQL documents by id, as GraphQL Code Generator lists them: what a gateway limited to trusted documents must be started with to serve it. */
export const explorerDocumentsFile = fileURLToPath(new URL('../../explorer/gql/persisted-documents.json', import.meta.url));

export function loadExplorerDocuments(): Promise<TrustedDocuments> {
  return loadTrustedDocuments(explorerDocumentsFile);
}

/**
 * Conversation text is anyone's input: the page runs only its own scripts, talks only to this
 * origin, and cannot be framed, so markup that slipped into a message could neither run nor read
 * the token the tab keeps.
 */
export const explorerSecurityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

interface StaticFile {
  path: string;
  bytes: Buffer;
  contentType: string;
  /** Vite names assets by their content's hash: they never change under their name. */
  immutable: boolean;
  encoded: Map<Encoding, Promise<Buffer>>;
}

export interface ExplorerOptions {
  /** The page's documents (loadExplorerDocuments): run by id even where any document is. */
  documents: TrustedDocuments;
  /** The built page (explorerDirectory unless a test builds one elsewhere). */
  directory?: string;
  /** The demo account's token, offered to a browser on this machine (as GraphiQL does) outside production. */
  demoToken?: string;
}

/** Every file of the build, read once: the page is a few hundred kilobytes, and each file is compressed once per encoding. */
async function loadFiles(directory: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = `/${full.slice(directory.length).replace(/^\/+/, '').split('\\').join('/')}`;
    const contentType = contentTypes[extname(entry.name)];
    if (!contentType) continue;
    files.set(path === '/index.html' ? '/' : path, { path, bytes: await readFile(full), contentType, immutable: path.startsWith('/assets/'), encoded: new Map() });
  }
  return files;
}

/**
 * The explorer: `/` and its hashed assets under `/assets/`, compressed for clients that accept it,
 * and `/explorer-demo.json` with the demo token for a browser on this machine. Answers false for
 * any other path, so the caller can go on to its own.
 */
export function createExplorerRoute(options: ExplorerOptions) {
  const directory = options.directory ?? explorerDirectory;
  let files: Promise<Map<string, StaticFile>> | undefined;
  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/explorer-demo.json') {
      const token = options.demoToken && isLoopback(request.socket.remoteAddress) ? options.demoToken : null;
      const body = JSON.stringify({ token });
      response.writeHead(200, { ...explorerSecurityHeaders, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return true;
    }
    if (path !== '/' && !path.startsWith('/assets/')) return false;
    files ??= loadFiles(directory).catch((error: NodeJS.ErrnoException) => {
      files = undefined;
      if (error.code === 'ENOENT') throw new GatewayError('unavailable', 'The explorer page is not built: run "npm run build" (npm install does it)');
      throw error;
    });
    const file = (await files).get(path);
    if (!file) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new GatewayError('method_not_allowed', `${path} is only read, with GET`);
    const encoding = preferredEncoding(request.headers['accept-encoding'] ?? null);
    let body = file.bytes;
    if (encoding) {
      let encoded = file.encoded.get(encoding);
      if (!encoded) file.encoded.set(encoding, (encoded = compress(encoding, file.bytes)));
      body = await encoded;
    }
    response.writeHead(200, {
      ...explorerSecurityHeaders,
      'content-type': file.contentType,
      'content-length': body.length,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      vary: 'accept-encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
