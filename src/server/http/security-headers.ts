/**
 * Security headers on every response — the page, the API, /api/docs, errors and 404s — set
 * by @fastify/helmet before any route or auth hook runs (so a refused request carries them too).
 *
 * The CSP allows only this origin: the page is built by Vite into files (no inline script), and
 * swagger-ui at /api/docs loads its bundle from /api/docs/static; both need data: images (icons
 * in CSS). Nothing may frame the page. HSTS is sent only on a request that arrived over HTTPS
 * (directly, or through a trusted proxy's X-Forwarded-Proto): on plain HTTP it would be ignored
 * at best, and a browser that saw it for a host it cannot reach over TLS would lock itself out.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/** The page's and the docs' Content-Security-Policy, by directive (docs/SECURITY.md lists it). */
export const CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "connect-src": ["'self'"],
  "font-src": ["'self'", "data:"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "img-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
};

/**
 * swagger-ui's bundle inserts one fixed inline <style> element: /api/docs allows exactly that
 * one by its hash (the browser test fails, naming the new hash, if an upgrade changes it).
 */
const SWAGGER_UI_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** For @fastify/swagger-ui's `transformStaticCSP`: the docs' CSP is the app's plus that hash. */
export function docsCsp(header: string): string {
  return header.replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_STYLE_HASH}`);
}

export const HSTS_VALUE = "max-age=31536000; includeSubDomains";

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: false,
    // The page is one origin with no cross-origin windows or embeds.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", async (request, reply) => {
    if (request.protocol === "https") reply.header("strict-transport-security", HSTS_VALUE);
  });
}
