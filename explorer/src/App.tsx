import { useCallback, useState, type FormEvent } from 'react';
import { storeCredential, storedCredential } from './client.ts';
import { followLink, hrefOf, navigate, useQueryParams } from './location.ts';
import { SearchResults } from './SearchResults.tsx';
import { SessionList } from './SessionList.tsx';
import { SessionView } from './SessionView.tsx';
import { SignIn } from './SignIn.tsx';

export function App() {
  const [credential, setCredential] = useState(storedCredential);
  const [refusal, setRefusal] = useState<string | null>(null);
  const params = useQueryParams();
  // A credential the gateway stops accepting (rotated, revoked) sends the person back to sign in.
  const signOut = useCallback((reason: string | null) => {
    storeCredential(null);
    setRefusal(reason);
    setCredential(null);
  }, []);
  if (!credential) {
    return (
      <SignIn
        refusal={refusal}
        onSignedIn={(accepted) => {
          storeCredential(accepted);
          setRefusal(null);
          setCredential(accepted);
        }}
      />
    );
  }
  const session = params.get('session');
  const query = params.get('q');
  return (
    <>
      <header className="bar">
        <a href="/" onClick={followLink} className="home">
          Conversations
        </a>
        <SearchForm initial={query ?? ''} />
        <button type="button" onClick={() => signOut(null)}>
          Sign out
        </button>
      </header>
      <main>
        {session ? (
          <SessionView key={session} credential={credential} sessionId={session} at={Number(params.get('at')) || null} onRefused={signOut} />
        ) : query ? (
          <SearchResults key={query} credential={credential} query={query} onRefused={signOut} />
        ) : (
          <SessionList credential={credential} params={params} onRefused={signOut} />
        )}
      </main>
    </>
  );
}

function SearchForm({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) navigate(hrefOf({ q: text.trim() }));
  };
  return (
    <form role="search" onSubmit={submit} className="search">
      <label htmlFor="search-messages" className="visually-hidden">
        Search messages
      </label>
      <input id="search-messages" type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="Search messages" />
      <button type="submit">Search</button>
    </form>
  );
}
