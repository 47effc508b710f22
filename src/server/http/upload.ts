/**
 * A CSV upload, the two ways the API takes one: a multipart form with the file in the field
 * `file` (browsers, `curl -F file=@deals.csv`), or the raw bytes as a `text/csv` or
 * `application/octet-stream` body (`curl --data-binary @deals.csv`). Bytes stay bytes: the
 * importer detects the encoding itself.
 */
import type { FastifyRequest } from "fastify";
import { FileRejectedError } from "../../core/errors.js";
import { FILE } from "../../core/messages/files.js";
import { baseFileName } from "../../core/file-name.js";
import { formatBytes } from "../../core/import/read-import-file.js";
import type { Limits } from "../../core/limits.js";
import { HttpError } from "./errors.js";

export const FILE_FIELD = "file";

export interface Upload {
  bytes: Uint8Array;
  /** The name the browser sent with the file; null for a raw body. */
  fileName: string | null;
  /** The form's other fields (multipart only). */
  fields: Record<string, string>;
}

const tooLarge = (limits: Limits) =>
  new FileRejectedError("file_too_large", FILE.overUploadLimit(formatBytes(limits.uploadBytes)));

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined;

const readMultipart = async (request: FastifyRequest, limits: Limits): Promise<Upload> => {
  let bytes: Uint8Array | null = null;
  let fileName: string | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        const data = await part.toBuffer();
        if (part.file.truncated) throw tooLarge(limits);
        if (part.fieldname !== FILE_FIELD) {
          throw new HttpError(
            400,
            "invalid_argument",
            `Send the CSV file in the form field '${FILE_FIELD}', not '${part.fieldname}'`,
          );
        }
        bytes = data;
        fileName = baseFileName(part.filename) || null;
      } else if (typeof part.value === "string") {
        // `curl -F file=<deals.csv` sends the file as a plain field.
        if (part.fieldname === FILE_FIELD) bytes = new TextEncoder().encode(part.value);
        else fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = codeOf(error);
    if (code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge(limits);
    if (code === "FST_FILES_LIMIT") {
      throw new HttpError(400, "invalid_argument", "Send one file per upload");
    }
    throw error;
  }
  if (!bytes) {
    throw new HttpError(
      400,
      "invalid_argument",
      `The form has no file: send the CSV file in the form field '${FILE_FIELD}'`,
    );
  }
  return { bytes, fileName, fields };
};

/** Reads the uploaded CSV; a file over the size limit is refused (`file_too_large`). */
export const readUpload = async (request: FastifyRequest, limits: Limits): Promise<Upload> => {
  if (request.isMultipart()) return readMultipart(request, limits);
  const body = request.body;
  if (body instanceof Uint8Array) return { bytes: body, fileName: null, fields: {} };
  // An empty body: the importer says the file is empty.
  if (body === undefined || body === null)
    return { bytes: new Uint8Array(), fileName: null, fields: {} };
  throw new HttpError(
    415,
    "invalid_argument",
    `Send the CSV file as multipart/form-data (field '${FILE_FIELD}') or as a text/csv body`,
  );
};

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off", ""]);

/** A form field holding a flag (`dryRun=true`); undefined when absent. */
export const formFlag = (fields: Record<string, string>, name: string): boolean | undefined => {
  const value = fields[name];
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new HttpError(
    400,
    "invalid_argument",
    `Field '${name}' must be true or false, not '${value}'`,
  );
};
