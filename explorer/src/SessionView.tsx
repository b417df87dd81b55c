import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExplorerTimelineQuery, ExplorerTimelineQueryVariables } from '../gql/graphql.ts';
import { ExplorerError, request, restText, subscribe } from './client.ts';
import { MessageAddedSubscription, TimelineQuery } from './documents.ts';
import { itemHref, navigate } from './location.ts';
import { TimelineItem, type Item } from './TimelineItem.tsx';
import { useScrolledTo } from './useScrolledTo.ts';

/** About a screen of items: a long session opens with this many, and the next come as the person scrolls. */
const PAGE_SIZE = 30;

type SessionHead = Omit<NonNullable<ExplorerTimelineQuery['session']>, 'messages' | 'tail'>;

interface TimelineWindow {
  items: Item[];
  /** Cursors of the first and last item held, to page on from. */
  startCursor: string | null;
  endCursor: string | null;
  hasNext: boolean;
}

const emptyTimelineWindow: TimelineWindow = { items: [], startCursor: null, endCursor: null, hasNext: false };

/**
 * One session's timeline: a window of it, opened at the start or at a linked item, growing as the
 * person scrolls, with items appended live (the `messageAdded` subscription, resumed from the last
 * cursor it delivered after a dropped connection) shown once the window has reached the end.
 */
export function SessionView({ credential, sessionId, at, onRefused }: { credential: string; sessionId: string; at: number | null; onRefused(reason: string): void }) {
  const [head, setHead] = useState<SessionHead | null | undefined>(undefined);
  const [view, setView] = useState<TimelineWindow>(emptyTimelineWindow);
  const [live, setLive] = useState<Item[]>([]);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const focusOn = useRef<number | null>(at);
  // Where the window opened: a link to an item already on screen scrolls to it instead of opening the session again.
  const [openAt, setOpenAt] = useState(at);

  const fail = useCallback(
    (failure: unknown) => {
      if (failure instanceof ExplorerError && failure.unauthenticated) return onRefused(failure.message);
      setError(failure instanceof ExplorerError ? failure.message : 'The conversation could not be loaded.');
    },
    [onRefused],
  );
  const page = useCallback(
    async (variables: Omit<ExplorerTimelineQueryVariables, 'session'>) => {
      const data = await request(credential, TimelineQuery, { session: sessionId, ...variables });
      return data.session;
    },
    [credential, sessionId],
  );

  // Opening (again) at the linked item, or at the start; the live stream starts from the end as it stood then.
  useEffect(() => {
    let stream: { close(): void } | undefined;
    let cancelled = false;
    focusOn.current = openAt;
    void (async () => {
      try {
        const session = await page(openAt ? { first: PAGE_SIZE, afterPosition: openAt - 1 } : { first: PAGE_SIZE });
        if (cancelled) return;
        setHead(session);
        if (!session) return;
        const { edges, pageInfo } = session.messages;
        setView({ items: edges.map((edge) => edge.node), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null, hasNext: pageInfo.hasNextPage });
        setLive([]);
        let resumeAfter = session.tail.edges[0]?.cursor ?? null;
        stream = subscribe(
          credential,
          MessageAddedSubscription,
          () => ({ session: sessionId, after: resumeAfter }),
          {
            next({ messageAdded }) {
              resumeAfter = messageAdded.cursor;
              setLive((items) => (items.some((item) => item.position === messageAdded.message.position) ? items : [...items, messageAdded.message]));
            },
            error: fail,
          },
        );
      } catch (failure) {
        if (!cancelled) fail(failure);
      }
    })();
    return () => {
      cancelled = true;
      stream?.close();
    };
  }, [page, fail, sessionId, openAt]);

  const more = async (direction: 'next' | 'previous') => {
    if (busy.current) return;
    busy.current = true;
    try {
      const session = await page(direction === 'next' ? { first: PAGE_SIZE, after: view.endCursor } : { last: PAGE_SIZE, before: view.startCursor });
      if (!session) return;
      const { edges, pageInfo } = session.messages;
      setView((current) =>
        direction === 'next'
          ? { ...current, items: [...current.items, ...edges.map((edge) => edge.node)], endCursor: edges.at(-1)?.cursor ?? current.endCursor, hasNext: pageInfo.hasNextPage }
          : { ...current, items: [...edges.map((edge) => edge.node), ...current.items], startCursor: edges[0]?.cursor ?? current.startCursor },
      );
    } catch (failure) {
      fail(failure);
    } finally {
      busy.current = false;
    }
  };
  const sentinel = useScrolledTo(() => void more('next'), view.hasNext);

  const last = view.items.at(-1)?.position ?? 0;
  const shown = view.hasNext ? view.items : [...view.items, ...live.filter((item) => item.position > last)];
  const first = view.items[0]?.position ?? 1;

  const showItem = (position: number) => navigate(itemHref(sessionId, position));
  useEffect(() => {
    if (at === null) return;
    const element = document.getElementById(`item-${at}`);
    if (!element) return setOpenAt(at);
    element.scrollIntoView({ block: 'center' });
    element.focus();
  }, [at]);
  // After opening at a linked item, bring it into view.
  useEffect(() => {
    if (focusOn.current === null) return;
    const element = document.getElementById(`item-${focusOn.current}`);
    if (!element) return;
    focusOn.current = null;
    element.scrollIntoView({ block: 'start' });
    element.focus();
  }, [shown.length]);

  if (head === null) return <p role="alert" className="error">There is no session “{sessionId}” in this account.</p>;
  const download = async (kind: 'twilio' | 'analytics') => {
    try {
      const text = kind === 'twilio' ? await twilioMessages(credential, sessionId) : await restText(credential, `/api/v1/conversations/${encodeURIComponent(sessionId)}/messages`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      link.download = `${sessionId.replace(/[^\w.-]+/g, '_')}.${kind}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (failure) {
      fail(failure);
    }
  };
  return (
    <section aria-labelledby="session-title">
      <h1 id="session-title">{head ? (head.name ?? head.sessionId) : 'Loading…'}</h1>
      {head && (
        <p className="session-facts">
          <span>Session id <code>{head.sessionId}</code></span> {head.identity && <span>Identity {head.identity}</span>} {head.assistant && <span>Assistant {head.assistant.assistantId}</span>}{' '}
          <span>{head.summary.itemCount} items</span>
        </p>
      )}
      <p className="downloads">
        <button type="button" onClick={() => void download('twilio')}>
          Download Twilio JSON
        </button>{' '}
        <button type="button" onClick={() => void download('analytics')}>
          Download analytics JSON
        </button>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {first > 1 && (
        <button type="button" onClick={() => void more('previous')}>
          Show earlier items
        </button>
      )}
      <ol className="timeline" aria-label="Timeline">
        {shown.map((item) => (
          <li key={item.position} id={`item-${item.position}`} tabIndex={-1}>
            <TimelineItem item={item} sessionId={sessionId} onCite={showItem} />
          </li>
        ))}
      </ol>
      <div ref={sentinel} className="sentinel" />
      {!view.hasNext && head && <p className="note" aria-live="polite">New items appear here as they are added.</p>}
    </section>
  );
}

/** The session's messages as the Twilio API returns them: its one page, or every page's messages when there are more. */
async function twilioMessages(credential: string, sessionId: string): Promise<string> {
  const path = `/v1/Sessions/${encodeURIComponent(sessionId)}/Messages?PageSize=1000`;
  const first = await restText(credential, path);
  let page = JSON.parse(first) as { messages: unknown[]; meta: { next_page_url: string | null } };
  if (!page.meta.next_page_url) return first;
  const messages = [...page.messages];
  while (page.meta.next_page_url) {
    const next = new URL(page.meta.next_page_url);
    page = JSON.parse(await restText(credential, next.pathname + next.search)) as typeof page;
    messages.push(...page.messages);
  }
  return JSON.stringify({ messages, meta: { ...page.meta, next_page_url: null } }, null, 2);
}
