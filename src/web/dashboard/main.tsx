import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiError } from './api.ts';
import { scopeQuery } from './queries.ts';
import './styles.css';

performance.mark('tally:boot');

const client: QueryClient = new QueryClient({
  // A session that ran out while the page was open: back to the sign-in page, not a wall of errors.
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (err instanceof ApiError && err.status === 401 && query.queryKey[0] !== 'me')
        client.setQueryData(['me'], null);
    },
  }),
  defaultOptions: {
    queries: {
      // A refusal (401, 403, 404) will not change on retry; a network blip may.
      retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

// Asked at once, beside /auth/me rather than after it: the first panels wait for the scope. Signed out,
// it fails quietly and is asked again after sign-in.
void client.prefetchQuery(scopeQuery);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
