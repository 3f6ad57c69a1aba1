import { useEffect } from 'react';
import type { Route } from './route.ts';

/**
 * A link to a part of a view ("#/ops/tills", "#/insights/forecast?…", as the briefing writes them)
 * scrolls that part into sight once it is on the page. Parts mark themselves with data-focus.
 */
export function useFocusScroll(route: Route, ready: boolean): void {
  const key = `${route.view}/${route.focus}?${new URLSearchParams(route.params).toString()}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key (view, focus, parameters) makes a new product in the same place scroll again
  useEffect(() => {
    if (!ready || !route.focus) return;
    const el = document.querySelector(`[data-focus="${CSS.escape(route.focus)}"]`);
    el?.scrollIntoView({ block: 'start' });
  }, [ready, key, route.focus]);
}
