/** The password rule: length, common passwords, repeats, the account's own email. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PASSWORD_POLICY,
  PASSWORD_MAX_LENGTH,
  passwordProblem,
} from "./password-policy.js";

const common = new Set(["password1234", "123456789012"]);
const context = { email: "ana.silva@contoso.example", isCommon: (p: string) => common.has(p) };

describe("passwordProblem", () => {
  it("accepts a long, uncommon password", () => {
    expect(passwordProblem("correct horse battery", DEFAULT_PASSWORD_POLICY, context)).toBeNull();
    expect(passwordProblem("ümlaut-Pässwörd", DEFAULT_PASSWORD_POLICY, context)).toBeNull();
  });

  it("refuses what is short, common, repeated, too long or the email, saying how to fix it", () => {
    const problem = (p: string) => passwordProblem(p, DEFAULT_PASSWORD_POLICY, context);
    expect(problem("a")).toMatch(/too short: use at least 12 characters/);
    expect(problem("12345678")).toMatch(/too short/);
    expect(problem("Password1234")).toMatch(/commonly used passwords/);
    expect(problem("aaaaaaaaaaaaaa")).toMatch(/one character repeated/);
    expect(problem(`${"x".repeat(PASSWORD_MAX_LENGTH)}y`)).toMatch(/too long/);
    expect(problem("Ana.Silva@contoso.example")).toMatch(/not be your email/);
  });

  it("counts characters, not UTF-16 units, and takes the configured minimum", () => {
    expect(passwordProblem("🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂x", DEFAULT_PASSWORD_POLICY, context)).toMatch(
      /too short/,
    );
    expect(passwordProblem("short-but-ok", { minLength: 8 }, context)).toBeNull();
    expect(passwordProblem("twelve-chars", { minLength: 16 }, context)).toMatch(/at least 16/);
  });
});
