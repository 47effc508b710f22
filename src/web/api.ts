/**
 * The browser's client for the cosell API: the session cookie rides along, the CSRF token
 * goes on every write, the interface's language goes as `Accept-Language` (so the server's
 * messages come back in it, details and all), and errors arrive in the one shape
 * `{error: {code, message, details}}`.
 */
import { isRecord } from "../core/json.js";
import { frenchErrorOf } from "../core/messages/by-code.js";
import { type Localizable, messageIn } from "../core/messages/text.js";
import { currentLang } from "./locale.js";
import { t } from "./messages.js";

/** A message the core wrote here in the browser (a file check, a filter), in the interface's language. */
export function localMessage(said: Localizable): string {
  return messageIn(currentLang(), said);
}

/**
 * A message the server stored in English only (a job's failure, written when the job ended):
 * on a French page, the French sentence of its code. Live answers come in the page's language.
 */
export function storedMessage(code: string, message: string): string {
  return currentLang() === "fr" ? (frenchErrorOf(code) ?? message) : message;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The server's words as sent (English when the request asked for English). */
    readonly serverMessage: string = message,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

const toError = async (res: Response): Promise<ApiError> => {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: fall through with the status text.
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof error.code === "string" ? error.code : "http_error";
  const message = typeof error.message === "string" ? error.message : res.statusText;
  return new ApiError(res.status, code, message, error.details);
};

/** Called when a signed-in session is refused (expired or signed out elsewhere). */
let onSessionEnded: (() => void) | null = null;
export const setSessionEndedHandler = (handler: (() => void) | null) => {
  onSessionEnded = handler;
};

export const UNREACHABLE = "unreachable";

export const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  const method = (init.method ?? "GET").toUpperCase();
  if (csrfToken && method !== "GET" && method !== "HEAD") headers.set("x-csrf-token", csrfToken);
  // The person's choice of language, which may differ from the browser's.
  if (!headers.has("accept-language")) headers.set("accept-language", currentLang());
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, credentials: "same-origin" });
  } catch {
    // fetch rejects only when no answer came at all: the server or the network is down.
    throw new ApiError(0, UNREACHABLE, t.cantReach);
  }
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && !path.startsWith("/api/auth/")) onSessionEnded?.();
    throw error;
  }
  return res;
};

export const getJson = async (path: string): Promise<unknown> => (await request(path)).json();

export const sendJson = async (
  path: string,
  method: string,
  body: unknown,
  headers: HeadersInit = {},
) => {
  const res = await request(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return res.status === 204 ? null : ((await res.json()) as unknown);
};

/** Saves a response body as a file, the way a link with `download` would. */
export const downloadResponse = async (res: Response, fallbackName: string) => {
  const disposition = res.headers.get("content-disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  downloadBlob(await res.blob(), name);
};

/** Saves bytes made in the page as a file. */
export const downloadBlob = (blob: Blob, name: string) => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
