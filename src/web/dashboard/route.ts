import { useCallback, useSyncExternalStore } from 'react';

/**
 * The screen's place lives in the URL hash ("#/insights/forecast?store=S001&sku=123"), so a reload, a
 * bookmark or a briefing link opens the same view; HQ serves one index.html for all of them.
 */
export type View = 'ops' | 'insights' | 'products' | 'pricing' | 'stores' | 'customers' | 'people';
const VIEWS: readonly View[] = ['ops', 'insights', 'products', 'pricing', 'stores', 'customers', 'people'];

export interface Route {
  view: View;
  /** The part of the view in focus, e.g. "forecast" or "tills"; '' for none. */
  focus: string;
  params: Record<string, string>;
}

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = h.split('?');
  const [first = '', focus = ''] = path.split('/');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) if (v) params[k] = v;
  return { view: VIEWS.find((v) => v === first) ?? 'ops', focus, params };
}

export function routeHash(r: Route): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.params)) if (v) q.set(k, v);
  const query = q.toString();
  return `#/${r.view}${r.focus ? `/${r.focus}` : ''}${query ? `?${query}` : ''}`;
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

export function useRoute(): [Route, (next: Partial<Route> & { params?: Record<string, string> }) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const route = parseRoute(hash);
  const go = useCallback((next: Partial<Route>) => {
    const cur = parseRoute(window.location.hash);
    window.location.hash = routeHash({ ...cur, ...next });
  }, []);
  return [route, go];
}

/** 'all' in the URL = every store in scope; no store in the URL = the user's default store. */
export const ALL_STORES = 'all';
