import { useSyncExternalStore } from 'react';
import { useMe } from './queries.ts';
import { SetPassword, setPasswordToken } from './SetPassword.tsx';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';
import { ErrorNote } from './ui/QueryState.tsx';

const onHash = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/**
 * A set-password link opens its own page, signed in or not; otherwise signed in: the dashboard, else the
 * sign-in page. The session cookie decides, read through /auth/me.
 */
export function App() {
  const token = setPasswordToken(useSyncExternalStore(onHash, () => window.location.hash));
  return token === undefined ? <Dashboard /> : <SetPassword token={token} />;
}

function Dashboard() {
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
