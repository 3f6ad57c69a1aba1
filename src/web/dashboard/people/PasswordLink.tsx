import { type PasswordLinkResponse, setPasswordPath } from '../../../contracts/index.ts';

/**
 * A one-time set-password link, shown once (HQ keeps only its hash): the manager passes it to the person
 * in whatever way they trust; it works once, until it expires.
 */
export function PasswordLink({ link }: { link: PasswordLinkResponse }) {
  const url = `${window.location.origin}${setPasswordPath(link.token)}`;
  return (
    <div className="password-link" data-testid="password-link" role="status">
      <p>
        {link.purpose === 'invite' ? 'Invite' : 'Reset'} link for <strong>{link.username}</strong>, valid once
        until <time dateTime={link.expiresAt}>{new Date(link.expiresAt).toLocaleString()}</time>. Give it to
        them yourself: it is shown only now.
      </p>
      <input
        className="code-text"
        readOnly
        value={url}
        aria-label={`Set-password link for ${link.username}`}
        data-testid="password-link-url"
        onFocus={(e) => e.target.select()}
      />
    </div>
  );
}
