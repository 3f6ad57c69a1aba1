import type { QueryClient } from '@tanstack/react-query';
import type { MeResponse } from '../../contracts/index.ts';

/**
 * A new user (or none) on this screen: forget everything the last one saw, then say who is signed in.
 * The `me` query is kept (only its data changes) because the app is subscribed to it.
 */
export function switchUser(client: QueryClient, me: MeResponse | null): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  client.setQueryData(['me'], me);
}
