/**
 * The password rule as the server applies it: the core rule (`core/password-policy.ts`) with
 * the deployment's minimum (COSELL_PASSWORD_MIN_LENGTH) and the list of common passwords —
 * the ~49,000 of @zxcvbn-ts/language-common, a maintained list from the npm registry, loaded on
 * first use so that commands that set no password do not pay for decompressing it.
 */
import { RequestError } from "../../core/errors.js";
import {
  DEFAULT_PASSWORD_MIN_LENGTH,
  type PasswordPolicy,
  passwordProblem,
} from "../../core/password-policy.js";

let loaded: Promise<ReadonlySet<string>> | undefined;

export function commonPasswords(): Promise<ReadonlySet<string>> {
  loaded ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].map((p) => p.toLowerCase())),
  );
  return loaded;
}

/** `COSELL_PASSWORD_MIN_LENGTH` (default 12; at least 8, as NIST requires). */
export function passwordPolicyFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): PasswordPolicy {
  const raw = env.COSELL_PASSWORD_MIN_LENGTH?.trim() ?? "";
  if (raw === "") return { minLength: DEFAULT_PASSWORD_MIN_LENGTH };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 8 || n > 128) {
    throw new RequestError(
      "invalid_argument",
      `COSELL_PASSWORD_MIN_LENGTH must be a whole number from 8 to 128, not '${raw}'`,
    );
  }
  return { minLength: n };
}

/** Throws `invalid_argument` with the rule's message when the password may not be used. */
export async function assertPasswordAllowed(
  password: string,
  email: string | null,
  policy: PasswordPolicy,
): Promise<void> {
  const common = await commonPasswords();
  const problem = passwordProblem(password, policy, { email, isCommon: (p) => common.has(p) });
  if (problem) throw new RequestError("invalid_argument", problem);
}
