/**
 * The password rule on the page: the server's lengths (asked once), and the core's own rule
 * (`core/password-policy.ts`) run before a password is sent, each refusal worded in the
 * interface's language. Only the list of common passwords stays on the server (the page does
 * not download 49,000 words): the server's refusal is read back to its reason and worded here too.
 */
import { useEffect, useState } from "react";
import { type PasswordPolicyJson, PasswordPolicySchema } from "../core/api/account-schemas.js";
import {
  DEFAULT_PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  type PasswordReason,
  passwordIssue,
  passwordReasonOf,
} from "../core/password-policy.js";
import { ApiError, getJson } from "./api.js";
import { parse } from "./api-types.js";
import { t } from "./messages.js";

const FALLBACK: PasswordPolicyJson = {
  minLength: DEFAULT_PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
};

let asked: Promise<PasswordPolicyJson> | null = null;

/** The server's password lengths; the defaults until it says (it checks again anyway). */
export function usePasswordPolicy(): PasswordPolicyJson {
  const [policy, setPolicy] = useState<PasswordPolicyJson>(FALLBACK);
  useEffect(() => {
    asked ??= getJson("/api/auth/password-policy")
      .then((json) => parse(PasswordPolicySchema, json))
      .catch(() => {
        asked = null;
        return FALLBACK;
      });
    let live = true;
    void asked.then((p) => {
      if (live) setPolicy(p);
    });
    return () => {
      live = false;
    };
  }, []);
  return policy;
}

/** A refusal of the rule, in the interface's language. */
export function passwordReasonText(reason: PasswordReason, policy: PasswordPolicyJson): string {
  switch (reason) {
    case "too_short":
      return t.passwordTooShort(policy.minLength);
    case "too_long":
      return t.passwordTooLong(policy.maxLength);
    case "common":
      return t.passwordCommon;
    case "repeated":
      return t.passwordRepeated;
    case "email":
      return t.passwordIsEmail;
  }
}

/** What the page can tell before sending: null when only the server's list is left to check. */
export function passwordProblemText(
  password: string,
  policy: PasswordPolicyJson,
  email: string,
): string | null {
  const issue = passwordIssue(password, policy, { email, isCommon: () => false });
  return issue ? passwordReasonText(issue.reason, policy) : null;
}

/** An error of a request that sent a password, in the interface's language. */
export function passwordErrorText(error: unknown, policy: PasswordPolicyJson): string {
  if (!(error instanceof ApiError)) return t.error;
  const reason =
    error.code === "invalid_argument" ? passwordReasonOf(error.serverMessage, policy) : null;
  return reason ? passwordReasonText(reason, policy) : error.message;
}
