/**
 * Secrets at rest (a connection's client secret and refresh token): AES-256-GCM from
 * node:crypto, bound to the row they belong to. The key comes from `COSELL_SECRET_KEY` or,
 * on the embedded store, from a key file created beside its data with 0600 permissions.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { RequestError } from "../../core/errors.js";
import type { Store } from "../db/store.js";

export const SECRET_KEY_VAR = "COSELL_SECRET_KEY";
export const KEY_FILE_NAME = "secret.key";
const VERSION = "v1";

export interface SecretBox {
  /** `context` (e.g. the connection id) must be given again to open: a sealed value moved to another row does not open. */
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new RequestError(
      "invalid_argument",
      `${where} must hold a 32-byte key, as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return key;
}

async function keyFile(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  try {
    await writeFile(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process made it first: use theirs.
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
  }
  return parseKey(await readFile(file, "utf8"), file);
}

/** The box for this store: the environment's key, else the embedded store's key file. */
export async function secretBoxFor(
  store: Pick<Store, "dataDir">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<SecretBox> {
  const fromEnv = env[SECRET_KEY_VAR]?.trim();
  let key: Buffer;
  if (fromEnv) key = parseKey(fromEnv, SECRET_KEY_VAR);
  else if (store.dataDir) key = await keyFile(store.dataDir);
  else {
    throw new RequestError(
      "invalid_argument",
      `Set ${SECRET_KEY_VAR} (32 bytes, base64: \`openssl rand -base64 32\`) to store connection secrets in PostgreSQL`,
    );
  }
  return secretBox(key);
}

export function secretBox(key: Buffer): SecretBox {
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed, context) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== VERSION || !iv || !tag || data === undefined) {
        throw new RequestError("invalid_argument", "A stored secret is not in a known format");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([
          decipher.update(Buffer.from(data, "base64url")),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        throw new RequestError(
          "invalid_argument",
          `The connection's secrets do not open with this key: is ${SECRET_KEY_VAR} (or ${KEY_FILE_NAME}) the one they were stored with?`,
        );
      }
    },
  };
}
