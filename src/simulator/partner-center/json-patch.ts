/**
 * JSON Patch (RFC 6902) as the Referrals API takes it: `replace` and `add` only, on paths a
 * partner may write. Anything else is refused with the reason, so a connector that passes
 * here sends only what the real service accepts.
 */
import type { Json } from "./odata.js";

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

/** Set by the service: a patch naming one of these (or a path under it) is refused. */
export const READ_ONLY_PATHS = [
  "/id",
  "/engagementId",
  "/createdDateTime",
  "/updatedDateTime",
  "/expirationDateTime",
  "/acceptedDateTime",
  "/closedDateTime",
  "/eTag",
  "/direction",
  "/links",
  "/organizationId",
  "/organizationName",
  "/inviteContext/invitedBy",
  "/type",
  "/qualification",
] as const;

export interface PatchOp {
  op: "replace" | "add";
  path: string;
  value: Json;
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads and checks a PATCH body; every refusal says which operation and why. */
export function parsePatch(body: Json): PatchOp[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new PatchError("The body must be a non-empty JSON Patch array (RFC 6902)");
  }
  return body.map((raw, i) => {
    if (!isObject(raw)) throw new PatchError(`Operation ${i} is not an object`);
    const { op, path, value } = raw;
    if (op !== "replace" && op !== "add") {
      throw new PatchError(
        `Operation ${i}: '${String(op)}' is not supported; only 'replace' and 'add' are`,
      );
    }
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new PatchError(`Operation ${i}: 'path' must be a JSON Pointer such as /details/notes`);
    }
    if (value === undefined) throw new PatchError(`Operation ${i}: 'value' is missing`);
    const readOnly = READ_ONLY_PATHS.find((p) => path === p || path.startsWith(`${p}/`));
    if (readOnly) throw new PatchError(`Operation ${i}: '${readOnly}' is read-only`);
    return { op, path, value };
  });
}

const unescapeSegment = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** Applies the operations to a copy of `doc`; the original is left as it was. */
export function applyPatch(doc: { [key: string]: Json }, ops: readonly PatchOp[]) {
  const copy: { [key: string]: Json } = structuredClone(doc);
  ops.forEach((op, i) => {
    const segments = op.path.slice(1).split("/").map(unescapeSegment);
    const last = segments.pop();
    if (last === undefined) throw new PatchError(`Operation ${i}: empty path`);
    let parent: Json = copy;
    for (const s of segments) {
      const nextValue: Json | undefined = Array.isArray(parent)
        ? parent[Number(s)]
        : isObject(parent)
          ? parent[s]
          : undefined;
      if (nextValue === undefined || nextValue === null || typeof nextValue !== "object") {
        throw new PatchError(`Operation ${i}: '${op.path}' has no parent object to write into`);
      }
      parent = nextValue;
    }
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) {
        throw new PatchError(`Operation ${i}: '${op.path}' is not an index of the array`);
      }
      if (op.op === "add") parent.splice(index, 0, op.value);
      else if (index >= parent.length) {
        throw new PatchError(`Operation ${i}: nothing to replace at '${op.path}'`);
      } else parent[index] = op.value;
      return;
    }
    if (!isObject(parent)) throw new PatchError(`Operation ${i}: '${op.path}' is not writable`);
    if (op.op === "replace" && !(last in parent)) {
      throw new PatchError(
        `Operation ${i}: nothing to replace at '${op.path}' (use 'add' for a new member)`,
      );
    }
    parent[last] = op.value;
  });
  return copy;
}
