import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ExplorerError, request } from './client.ts';
import { SessionsQuery } from './documents.ts';
import { formatConfidence, formatTime } from './format.ts';
import { followLink, hrefOf, navigate } from './location.ts';
import type { ExplorerSessionsQuery, SessionFilter } from '../gql/graphql.ts';
import { useScrolledTo } from './useScrolledTo.ts';

const PAGE_SIZE = 25;
const FILTERS = ['identity', 'assistant', 'from', 'to', 'text'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type SessionRow = ExplorerSessionsQuery['sessions']['edges'][number]['node'];

function filtersOf(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;
}

/** The list's filter as the API takes it: a date range of last activity, its end day included. */
function sessionFilterOf(filters: Filters): SessionFilter {
  const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    identity: filters.identity || undefined,
    assistantId: filters.assistant || undefined,
    text: filters.text || undefined,
    lastMessageAfter: filters.from ? new Date(`${filters.from}T00:00:00Z`).toISOString() : undefined,
    lastMessageBefore: filters.to ? dayAfter(filters.to) : undefined,
  };
}

export function SessionList({ credential, params, onRefused }: { credential: string; params: URLSearchParams; onRefused(reason: string): void }) {
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [rows, setRows] = useState<SessionRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);

  const load = useCallback(
    async (after: string | null, replace: boolean) => {
      if (loading.current && !replace) return;
      loading.current = true;
      try {
        const data = await request(credential, SessionsQuery, { first: PAGE_SIZE, after, filter: sessionFilterOf(JSON.parse(key) as Filters) });
        const page = data.sessions;
        setRows((previous) => [...(replace ? [] : previous), ...page.edges.map((edge) => edge.node)]);
        setTotal(page.totalCount);
        setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
        setError(null);
      } catch (failure) {
        if (failure instanceof ExplorerError && failure.unauthenticated) return onRefused(failure.message);
        setError(failure instanceof ExplorerError ? failure.message : 'The list could not be loaded.');
      } finally {
        loading.current = false;
      }
    },
    [credential, key, onRefused],
  );

  useEffect(() => {
    setRows([]);
    setNext(undefined);
    void load(null, true);
  }, [load]);
  const sentinel = useScrolledTo(() => next && void load(next, false), !!next);

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">Conversations</h1>
      <FilterForm key={key} filters={filters} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p aria-live="polite">{total === null ? 'Loading…' : `${total} ${total === 1 ? 'conversation' : 'conversations'}, most recently active first`}</p>
      <div className="table-wrap">
        <table className="sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Identity</th>
              <th scope="col">Messages</th>
              <th scope="col">Tool calls</th>
              <th scope="col">Sources</th>
              <th scope="col">First message</th>
              <th scope="col">Last message</th>
              <th scope="col">Average confidence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  <a href={hrefOf({ session: row.sessionId })} onClick={followLink}>
                    {row.name ?? row.sessionId}
                  </a>
                </th>
                <td>{row.identity ?? '—'}</td>
                <td className="number">{row.summary.messageCount}</td>
                <td className="number">{row.summary.toolCallCount}</td>
                <td className="number">{row.summary.sourceCount}</td>
                <td>{formatTime(row.summary.firstMessageAt)}</td>
                <td>{formatTime(row.summary.lastMessageAt)}</td>
                <td className="number">{formatConfidence(row.summary.averageConfidence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div ref={sentinel} className="sentinel" />
    </section>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const [draft, setDraft] = useState(filters);
  const field = (name: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} name={name} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
    </label>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(hrefOf(draft));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter conversations">
      {field('identity', 'Identity')}
      {field('assistant', 'Assistant')}
      {field('from', 'Active from', 'date')}
      {field('to', 'Active until', 'date')}
      {field('text', 'Containing text')}
      <button type="submit">Filter</button>
      <a href="/" onClick={followLink}>
        Clear filters
      </a>
    </form>
  );
}
