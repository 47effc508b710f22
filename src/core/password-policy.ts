/**
 * The password rule (NIST SP 800-63B style), one for the CLI, the API and the web page: long
 * enough (12 characters unless the deployment says otherwise), not too long to hash, not a
 * commonly used password, not the account's own email, not one character repeated. No
 * composition rules and no expiry: NIST advises against both. The list of common passwords is
 * handed in by the caller (the server loads it from @zxcvbn-ts/language-common), so this file
 * stays pure and the page does not download the list.
 */

export const DEFAULT_PASSWORD_MIN_LENGTH = 12;
/** Longer passwords are refused before hashing (scrypt of megabytes would be a free DoS). */
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordPolicy {
  minLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: DEFAULT_PASSWORD_MIN_LENGTH };

export interface PasswordContext {
  /** The account's email: neither it nor its part before @ may be the password. */
  email?: string | null;
  /** Is this (lower-cased) password on the list of common ones? */
  isCommon: (lowerCased: string) => boolean;
}

/** Why a password is refused: the page words each reason in its own language. */
export type PasswordReason = "too_short" | "too_long" | "common" | "repeated" | "email";

export interface PasswordIssue {
  reason: PasswordReason;
  /** What is wrong and how to fix it, in English (the CLI and the API say this). */
  message: string;
}

/** Each reason's English message: what is wrong and how to fix it (the CLI and the API say it). */
const MESSAGES: Record<PasswordReason, (policy: PasswordPolicy) => string> = {
  too_short: (policy) =>
    `The password is too short: use at least ${policy.minLength} characters (a few unrelated words make a good one)`,
  too_long: () => `The password is too long: use at most ${PASSWORD_MAX_LENGTH} characters`,
  common: () =>
    "This password is on the list of commonly used passwords, which attackers try first: choose another one",
  repeated: () => "The password is one character repeated: choose another one",
  email: () => "The password must not be your email address: choose another one",
};

const REASONS = Object.keys(MESSAGES) as PasswordReason[];

/** The reason behind a message of this rule (a server's refusal, read by the page); null if none. */
export function passwordReasonOf(message: string, policy: PasswordPolicy): PasswordReason | null {
  return REASONS.find((r) => MESSAGES[r](policy) === message) ?? null;
}

const issue = (reason: PasswordReason, policy: PasswordPolicy): PasswordIssue => ({
  reason,
  message: MESSAGES[reason](policy),
});

/** Null when the password may be used; else why not. */
export function passwordIssue(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
): PasswordIssue | null {
  const length = [...password].length;
  if (length < policy.minLength) return issue("too_short", policy);
  if (length > PASSWORD_MAX_LENGTH) return issue("too_long", policy);
  const lower = password.toLowerCase();
  if (context.isCommon(lower)) return issue("common", policy);
  if (new Set(lower).size === 1) return issue("repeated", policy);
  const email = context.email?.trim().toLowerCase() ?? "";
  const local = email.split("@")[0] ?? "";
  if (email !== "" && (lower === email || (local.length >= 3 && lower === local))) {
    return issue("email", policy);
  }
  return null;
}

/** Null when the password may be used; else what is wrong and how to fix it. */
export function passwordProblem(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
): string | null {
  return passwordIssue(password, policy, context)?.message ?? null;
}
