import { useEffect, useState, type FormEvent } from 'react';
import { ExplorerError, request } from './client.ts';
import { AccountQuery } from './documents.ts';

/** Signing in checks the credential with one request; nothing is kept until the gateway accepts it. */
export function SignIn({ refusal, onSignedIn }: { refusal: string | null; onSignedIn(credential: string): void }) {
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<string | null>(refusal);
  const [busy, setBusy] = useState(false);
  const [demoToken, setDemoToken] = useState<string | null>(null);
  useEffect(() => {
    // Only a browser on the gateway's own machine, outside production, is offered the demo token.
    fetch('/explorer-demo.json')
      .then((response) => (response.ok ? (response.json() as Promise<{ token: string | null }>) : { token: null }))
      .then(({ token }) => setDemoToken(token), () => setDemoToken(null));
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!credential.trim()) return setError('Enter an auth token or an API key (SK…:secret).');
    setBusy(true);
    setError(null);
    try {
      await request(credential.trim(), AccountQuery, {});
      onSignedIn(credential.trim());
    } catch (failure) {
      setError(failure instanceof ExplorerError ? failure.message : 'Signing in failed. Try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Conversation explorer</h1>
      <p>Sign in with an auth token or an API key of your account. A read-only key is enough. It is kept for this browser tab only.</p>
      <form onSubmit={submit}>
        <label htmlFor="credential">Auth token or API key</label>
        <input id="credential" type="password" autoComplete="off" spellCheck={false} value={credential} onChange={(event) => setCredential(event.target.value)} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {demoToken && (
          <button type="button" onClick={() => setCredential(demoToken)}>
            Use the demo account's token
          </button>
        )}
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}
