import type { Page } from '../store/pages.js';

/** A store page as a Relay connection: each edge's cursor is sealed only if the query reads it. */
export function relayConnection<T>({ items, pageInfo, cursorOf }: Page<T>) {
  return {
    edges: items.map((node) => ({
      node,
      get cursor() {
        return cursorOf(node);
      },
    })),
    pageInfo,
  };
}
