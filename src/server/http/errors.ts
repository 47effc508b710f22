/**
 * The one place where coded errors become HTTP statuses, and the one error shape:
 * `{"error": {"code", "message", "details"}}`. The message is in the request's language
 * (`Accept-Language`, see lang.ts): the core's French when it wrote one, else the French
 * sentence for the code; the code stays the stable, language-free part.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { ApiErrorJson } from "../../core/api/error-schema.js";
import {
  type FileErrorCode,
  FileRejectedError,
  RequestError,
  type RequestErrorCode,
} from "../../core/errors.js";
import { frenchErrorOf } from "../../core/messages/by-code.js";
import { type Lang, splitText, type Text } from "../../core/messages/text.js";
import { localizeDetails, requestLang } from "./lang.js";

/** Errors only the HTTP edge raises (concurrency preconditions, rate limits). */
export type HttpOnlyCode =
  | "precondition_failed"
  | "precondition_required"
  | "rate_limited"
  | "csrf_failed";

export class HttpError extends Error {
  readonly fr: string | undefined;
  constructor(
    readonly status: number,
    readonly code: HttpOnlyCode | RequestErrorCode | FileErrorCode | "invalid_row" | "internal",
    message: string | Text,
    readonly details?: unknown,
  ) {
    const split = splitText(message);
    super(split.message);
    this.name = "HttpError";
    this.fr = split.fr;
  }
}

const REQUEST_STATUS: Record<RequestErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
};

const FILE_STATUS = (code: FileErrorCode): number => (code === "file_too_large" ? 413 : 422);

export const toHttpError = (error: unknown): HttpError => {
  if (error instanceof HttpError) return error;
  if (error instanceof RequestError)
    return new HttpError(REQUEST_STATUS[error.code], error.code, textOf(error));
  if (error instanceof FileRejectedError)
    return new HttpError(FILE_STATUS(error.code), error.code, textOf(error));
  const fe = error as Partial<FastifyError> | undefined;
  if (fe && typeof fe.statusCode === "number" && fe.statusCode < 500) {
    if (fe.validation) {
      return new HttpError(400, "invalid_argument", fe.message ?? "Invalid request", fe.validation);
    }
    if (fe.statusCode === 413) {
      return new HttpError(413, "file_too_large", {
        en: "The upload is over the size limit; split the file and upload again",
        fr: "L'envoi dépasse la taille permise : découpez le fichier et envoyez-le à nouveau",
      });
    }
    if (fe.statusCode === 429)
      return new HttpError(
        429,
        "rate_limited",
        fe.message ?? "Too many requests; wait and try again",
      );
    if (fe.statusCode === 415)
      return new HttpError(415, "invalid_argument", fe.message ?? "Unsupported content type");
    return new HttpError(fe.statusCode, "invalid_argument", fe.message ?? "Invalid request");
  }
  return new HttpError(500, "internal", "cosell hit an unexpected error; it was logged");
};

/** A coded error's message as both languages, when the core wrote its French. */
export function textOf(error: { message: string; fr?: string | undefined }): string | Text {
  return error.fr === undefined ? error.message : { en: error.message, fr: error.fr };
}

/** The message in `lang`: the core's French, else the French sentence for the code. */
export function httpMessageIn(lang: Lang, http: HttpError): string {
  if (lang === "en") return http.message;
  return http.fr ?? frenchErrorOf(http.code) ?? http.message;
}

export const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  const http = toHttpError(error);
  if (http.status >= 500) request.log.error({ err: error }, "request failed");
  const lang = requestLang(request);
  const body: ApiErrorJson = { error: { code: http.code, message: httpMessageIn(lang, http) } };
  if (http.details !== undefined) body.error.details = localizeDetails(lang, http.details);
  return reply.status(http.status).send(body);
};
