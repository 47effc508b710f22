/** The app shell: who is signed in, the header with the account menu, and the pages. */
import { useCallback, useEffect, useState } from "react";
import { langOf } from "../core/columns.js";
import {
  ApiError,
  getJson,
  request,
  setCsrfToken,
  setSessionEndedHandler,
  UNREACHABLE,
} from "./api.js";
import { Me, parse } from "./api-types.js";
import { ExportsProvider, Notices } from "./exports.js";
import { currentLang, type Lang, rememberLanguage } from "./locale.js";
import { roleName, setLanguage, t } from "./messages.js";
import { ConnectionsPage } from "./pages/connections.js";
import { AccountPage } from "./pages/account.js";
import { OpportunitiesPage } from "./pages/opportunities.js";
import { SignInPage } from "./pages/sign-in.js";
import { TokensPage } from "./pages/tokens.js";
import { UsersPage } from "./pages/users.js";
import { navigate, type Route, useRoute } from "./router.js";

export const App = () => {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [sessionEnded, setSessionEnded] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const route = useRoute();
  const [lang, setLang] = useState<Lang>(currentLang);
  const chooseLanguage = (next: Lang) => {
    setLanguage(next);
    rememberLanguage(next);
    setLang(next);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: `t` follows `lang`, set just before.
  useEffect(() => {
    document.title = `${t.pageTitle} · cosell`;
  }, [lang]);

  const signedIn = useCallback((user: Me | null) => {
    setCsrfToken(user?.csrfToken ?? null);
    setMe(user);
  }, []);

  // An expired session goes to sign-in, and the address stays: signing in comes back here.
  useEffect(() => {
    setSessionEndedHandler(() => {
      setSessionEnded(true);
      signedIn(null);
    });
    return () => setSessionEndedHandler(null);
  }, [signedIn]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the Retry trigger.
  useEffect(() => {
    setUnreachable(false);
    getJson("/api/auth/me")
      .then((body) => signedIn(parse(Me, body)))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === UNREACHABLE) setUnreachable(true);
        else signedIn(null);
      });
  }, [signedIn, attempt]);

  if (unreachable) {
    return (
      <main className="centered" aria-labelledby="unreachable-title">
        <h1 id="unreachable-title">{t.cantReachTitle}</h1>
        <p>{t.cantReach}</p>
        <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
          {t.retry}
        </button>
      </main>
    );
  }
  if (me === undefined) return <p className="centered">{t.loading}</p>;
  if (me === null) {
    return (
      <SignInPage
        sessionEnded={sessionEnded}
        onSignedIn={(user) => {
          setSessionEnded(false);
          signedIn(user);
        }}
      />
    );
  }

  const signOut = async () => {
    await request("/api/auth/sign-out", { method: "POST" }).catch(() => {});
    signedIn(null);
    navigate("/");
  };

  return (
    <ExportsProvider>
      <header className="topbar">
        <a
          className="brand"
          href="/"
          onClick={(e) => {
            e.preventDefault();
            navigate("/");
          }}
        >
          {t.appName}
        </a>
        <nav aria-label={t.account} className="topnav">
          <NavLink to="/" current={route}>
            {t.opportunities}
          </NavLink>
          {me.role === "admin" && (
            <NavLink to="/users" current={route}>
              {t.users}
            </NavLink>
          )}
          {me.role === "admin" && (
            <NavLink to="/connections" current={route}>
              {t.connections}
            </NavLink>
          )}
          <NavLink to="/tokens" current={route}>
            {t.apiTokens}
          </NavLink>
          <label className="lang-switch">
            <span className="sr-only">{t.language}</span>
            <select value={lang} onChange={(e) => chooseLanguage(langOf(e.target.value) ?? "en")}>
              <option value="en" lang="en">
                English
              </option>
              <option value="fr" lang="fr">
                Français
              </option>
            </select>
          </label>
          <span className="whoami" title={me.email}>
            {me.name ?? me.email} · {roleName(me.role)}
          </span>
          <NavLink to="/account" current={route}>
            {t.myAccount}
          </NavLink>
          <button type="button" className="button secondary" onClick={signOut}>
            {t.signOut}
          </button>
        </nav>
      </header>
      <main id="main">
        {route === "/users" && me.role === "admin" ? (
          <UsersPage me={me} />
        ) : route === "/connections" && me.role === "admin" ? (
          <ConnectionsPage />
        ) : route === "/tokens" ? (
          <TokensPage />
        ) : route === "/account" ? (
          <AccountPage me={me} />
        ) : (
          <OpportunitiesPage me={me} />
        )}
      </main>
      <Notices />
    </ExportsProvider>
  );
};

const NavLink = ({ to, current, children }: { to: Route; current: string; children: string }) => (
  <a
    href={to}
    aria-current={current === to ? "page" : undefined}
    onClick={(e) => {
      e.preventDefault();
      navigate(to);
    }}
  >
    {children}
  </a>
);
