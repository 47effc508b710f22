/**
 * The one place where coded errors become HTTP statuses, and the one error shape:
 * `{"error": {"code", "message", "details"}}`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { ApiErrorJson } from "../../core/api/error-schema.js";
import {
  type FileErrorCode,
  FileRejectedError,
  RequestError,
  type RequestErrorCode,
} from "../../core/errors.js";

/** Errors only the HTTP edge raises (concurrency preconditions, rate limits). */
export type HttpOnlyCode =
  | "precondition_failed"
  | "precondition_required"
  | "rate_limited"
  | "csrf_failed";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpOnlyCode | RequestErrorCode | FileErrorCode | "invalid_row" | "internal",
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
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
    return new HttpError(REQUEST_STATUS[error.code], error.code, error.message);
  if (error instanceof FileRejectedError)
    return new HttpError(FILE_STATUS(error.code), error.code, error.message);
  const fe = error as Partial<FastifyError> | undefined;
  if (fe && typeof fe.statusCode === "number" && fe.statusCode < 500) {
    if (fe.validation) {
      return new HttpError(400, "invalid_argument", fe.message ?? "Invalid request", fe.validation);
    }
    if (fe.statusCode === 413) {
      return new HttpError(
        413,
        "file_too_large",
        "The upload is over the size limit; split the file and upload again",
      );
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

export const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  const http = toHttpError(error);
  if (http.status >= 500) request.log.error({ err: error }, "request failed");
  const body: ApiErrorJson = { error: { code: http.code, message: http.message } };
  if (http.details !== undefined) body.error.details = http.details;
  return reply.status(http.status).send(body);
};
