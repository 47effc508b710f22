/** Sign-in: what cosell is in one line, and why the person is here again when a session ended. */
import { type FormEvent, useState } from "react";
import { ApiError, sendJson } from "../api.js";
import { Me, parse } from "../api-types.js";
import { t } from "../messages.js";

export const SignInPage = ({
  onSignedIn,
  sessionEnded = false,
}: {
  onSignedIn: (me: Me) => void;
  sessionEnded?: boolean;
}) => {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const me = parse(
        Me,
        await sendJson("/api/auth/sign-in", "POST", {
          email: form.get("email"),
          password: form.get("password"),
        }),
      );
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t.error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t.signInTitle}</h1>
        <p className="tagline">{t.tagline}</p>
        {sessionEnded && (
          <p className="notice notice-warning" role="alert">
            {t.signedOut}
          </p>
        )}
        <label>
          {t.email}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t.password}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
};
