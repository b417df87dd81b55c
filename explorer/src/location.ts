// The view lives in the URL's query string (`?session=…&at=…`, `?q=…`, or the list's filters), so
// any view can be shared as a link and the browser's back button walks through them.
import { useEffect, useState } from 'react';

const NAVIGATED = 'explorer:navigated';

export function useQueryParams(): URLSearchParams {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const update = () => setSearch(location.search);
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return new URLSearchParams(search);
}

/** The link to a view: empty values are left out. */
export function hrefOf(params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `/?${text}` : '/';
}

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** An in-page link that navigates without reloading, keeping ctrl/middle-click's new tab. */
export function followLink(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href')!);
}

export function itemHref(sessionId: string, position: number): string {
  return hrefOf({ session: sessionId, at: position });
}
