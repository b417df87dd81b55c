import { useEffect, useRef, useState } from 'react';
import type { ExplorerSearchQuery } from '../gql/graphql.ts';
import { ExplorerError, request } from './client.ts';
import { SearchQuery } from './documents.ts';
import { formatTime } from './format.ts';
import { followLink, itemHref } from './location.ts';
import { useScrolledTo } from './useScrolledTo.ts';

const PAGE_SIZE = 20;
type Hit = ExplorerSearchQuery['search']['edges'][number]['node'];

const kindNames: Record<string, string> = { ChatMessage: 'Message', ToolCall: 'Tool call', KnowledgeCall: 'Knowledge call', Source: 'Source' };

export function SearchResults({ credential, query, onRefused }: { credential: string; query: string; onRefused(reason: string): void }) {
  const [hits, setHits] = useState<Hit[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const load = async (after: string | null) => {
    if (busy.current) return;
    busy.current = true;
    try {
      const { search } = await request(credential, SearchQuery, { query, first: PAGE_SIZE, after });
      setHits((previous) => [...(after ? previous : []), ...search.edges.map((edge) => edge.node)]);
      setTotal(search.totalCount);
      setNext(search.pageInfo.hasNextPage ? search.pageInfo.endCursor ?? null : null);
    } catch (failure) {
      if (failure instanceof ExplorerError && failure.unauthenticated) return onRefused(failure.message);
      setError(failure instanceof ExplorerError ? failure.message : 'The search failed.');
    } finally {
      busy.current = false;
    }
  };
  useEffect(() => void load(null), []);
  const sentinel = useScrolledTo(() => next && void load(next), !!next);
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search: {query}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p aria-live="polite">{total === null ? (error ? '' : 'Searching…') : `${total} ${total === 1 ? 'match' : 'matches'}, best first`}</p>
      <ol className="hits">
        {hits.map((hit) => (
          <li key={`${hit.session.sessionId}:${hit.item.position}`}>
            <a href={itemHref(hit.session.sessionId, hit.item.position)} onClick={followLink}>
              {hit.session.name ?? hit.session.sessionId}, {kindNames[hit.item.__typename] ?? 'Item'} {hit.item.position}
            </a>{' '}
            <time dateTime={hit.item.createdAt}>{formatTime(hit.item.createdAt)}</time>
            <p className="snippet">{marked(hit.snippet)}</p>
          </li>
        ))}
      </ol>
      <div ref={sentinel} className="sentinel" />
    </section>
  );
}

/** The snippet's «matched words» as <mark>: the snippet is plain text, split on its markers, never parsed as HTML. */
function marked(snippet: string) {
  return snippet.split(/(«[^»]*»)/).map((part, index) => (part.startsWith('«') && part.endsWith('»') ? <mark key={index}>{part.slice(1, -1)}</mark> : part));
}
