/** A tiny path router: the page is small enough that a library would be more code than this. */
import { useEffect, useState } from "react";

export type Route = "/" | "/users" | "/tokens";
const ROUTES: readonly Route[] = ["/", "/users", "/tokens"];

const current = (): Route => ROUTES.find((r) => r === window.location.pathname) ?? "/";

export const navigate = (to: Route) => {
  if (window.location.pathname !== to) window.history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
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
