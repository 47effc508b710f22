/** The app shell: who is signed in, the header with the account menu, and the pages. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, getJson, request, setCsrfToken } from "./api.js";
import { Me, parse } from "./api-types.js";
import { ExportsProvider, Notices } from "./exports.js";
import { t } from "./messages.js";
import { OpportunitiesPage } from "./pages/opportunities.js";
import { SignInPage } from "./pages/sign-in.js";
import { TokensPage } from "./pages/tokens.js";
import { UsersPage } from "./pages/users.js";
import { navigate, useRoute } from "./router.js";

export const App = () => {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const route = useRoute();

  const signedIn = useCallback((user: Me | null) => {
    setCsrfToken(user?.csrfToken ?? null);
    setMe(user);
  }, []);

  useEffect(() => {
    getJson("/api/auth/me")
      .then((body) => signedIn(parse(Me, body)))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) signedIn(null);
        else signedIn(null);
      });
  }, [signedIn]);

  if (me === undefined) return <p className="centered">{t.loading}</p>;
  if (me === null) return <SignInPage onSignedIn={signedIn} />;

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
          <NavLink to="/tokens" current={route}>
            {t.apiTokens}
          </NavLink>
          <span className="whoami" title={me.email}>
            {me.name ?? me.email} · {me.role === "admin" ? t.roleAdmin : t.roleUser}
          </span>
          <button type="button" className="button secondary" onClick={signOut}>
            {t.signOut}
          </button>
        </nav>
      </header>
      <main id="main">
        {route === "/users" && me.role === "admin" ? (
          <UsersPage me={me} />
        ) : route === "/tokens" ? (
          <TokensPage />
        ) : (
          <OpportunitiesPage me={me} />
        )}
      </main>
      <Notices />
    </ExportsProvider>
  );
};

const NavLink = ({
  to,
  current,
  children,
}: {
  to: "/" | "/users" | "/tokens";
  current: string;
  children: string;
}) => (
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
