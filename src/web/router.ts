/**
 * A tiny path router: the page is small enough that a library would be more code than this.
 * The list's query string is remembered, so coming back to Opportunities from another page
 * shows the list as it was left.
 */
import { useEffect, useState } from "react";

export type Route = "/" | "/users" | "/tokens" | "/connections" | "/account";
const ROUTES: readonly Route[] = ["/", "/users", "/tokens", "/connections", "/account"];

const current = (): Route => ROUTES.find((r) => r === window.location.pathname) ?? "/";

let lastListSearch = "";

const changed = () => window.dispatchEvent(new PopStateEvent("popstate"));

export const navigate = (to: Route) => {
  const target = to === "/" ? `/${lastListSearch}` : to;
  if (`${window.location.pathname}${window.location.search}` !== target) {
    window.history.pushState(null, "", target);
  }
  changed();
};

/** Puts the list's state in the address: a new history entry, or in place of the current one. */
export const setListSearch = (search: string, mode: "push" | "replace" = "push") => {
  lastListSearch = search;
  if (window.location.search === search) return;
  const url = `${window.location.pathname}${search}`;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  changed();
};

export const useRoute = (): Route => {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const onPop = () => setRoute(current());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return route;
};

/** The address's query string, following Back/Forward and setListSearch. */
export const useSearch = (): string => {
  const [search, setSearch] = useState(() => window.location.search);
  useEffect(() => {
    const onPop = () => {
      setSearch(window.location.search);
      if (current() === "/") lastListSearch = window.location.search;
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  return search;
};
