/**
 * The stored form of a random secret (a session, an API token, a webhook secret): its SHA-256,
 * so a copy of the database opens no door. A secret is 256 random bits, so a plain hash is
 * enough; passwords, which people choose, take scrypt (`password.ts`).
 */
import { createHash } from "node:crypto";

export function sha256(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
