import { useEffect, useRef } from 'react';

/** Calls `reached` whenever the returned element scrolls into view (or near it): how lists load their next page as the person scrolls. */
export function useScrolledTo(reached: () => void, enabled: boolean) {
  const sentinel = useRef<HTMLDivElement>(null);
  const latest = useRef(reached);
  latest.current = reached;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !enabled) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && latest.current(), { rootMargin: '200px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled]);
  return sentinel;
}
