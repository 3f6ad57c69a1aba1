import { useMe } from './queries.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';
import { ErrorNote } from './ui/QueryState.tsx';

/** Signed in: the dashboard; else the sign-in page. The session cookie decides, read through /auth/me. */
export function App() {
  const me = useMe();
  if (me.isPending)
    return (
      <div className="state loading boot" role="status">
        <span className="spinner" aria-hidden="true" /> Loading…
      </div>
    );
  if (me.isError)
    return (
      <main className="boot">
        <ErrorNote error={me.error} />
      </main>
    );
  return me.data ? <Shell user={me.data.user} /> : <SignIn />;
}
