/**
 * The signed-in person's own account (the account menu's "My account"): change their password.
 * The current one is asked for; the new one is checked with the rule before it is sent, and the
 * rule is shown beside it. Other sessions end on the server; this one stays.
 */
import { type FormEvent, useState } from "react";
import { ApiError, sendJson } from "../api.js";
import type { Me } from "../api-types.js";
import { useExports } from "../exports.js";
import { t } from "../messages.js";
import { passwordErrorText, passwordProblemText, usePasswordPolicy } from "../password-rule.js";

export const AccountPage = ({ me }: { me: Me }) => {
  const policy = usePasswordPolicy();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { notify } = useExports();

  const change = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "");
    const newPassword = text("newPassword");
    const refused =
      newPassword !== text("confirmPassword")
        ? t.passwordsDiffer
        : passwordProblemText(newPassword, policy, me.email);
    setProblem(refused);
    if (refused) return;
    setBusy(true);
    try {
      // In English: passwordErrorText reads which rule refused it from the server's own words.
      await sendJson(
        "/api/auth/password",
        "POST",
        { currentPassword: text("currentPassword"), newPassword },
        { "accept-language": "en" },
      );
      form.reset();
      notify("success", t.passwordChanged);
    } catch (err) {
      // 403: the current password is not right; a rule's refusal (the common list) in our words.
      setProblem(
        err instanceof ApiError && err.code === "forbidden"
          ? t.currentPasswordWrong
          : passwordErrorText(err, policy),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="banner">
        <h1>{t.myAccount}</h1>
      </div>
      <form
        className="card stacked-form"
        onSubmit={(e) => void change(e)}
        aria-labelledby="change-password-title"
      >
        <h2 id="change-password-title">{t.changePassword}</h2>
        {/* A hidden username lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={me.email} />
        <label>
          {t.currentPassword}
          <input name="currentPassword" type="password" required autoComplete="current-password" />
        </label>
        <label>
          {t.newPassword}
          <input
            name="newPassword"
            type="password"
            required
            autoComplete="new-password"
            aria-describedby="password-rule"
          />
        </label>
        <p id="password-rule" className="hint">
          {t.passwordRule(policy.minLength)}
        </p>
        <label>
          {t.confirmPassword}
          <input name="confirmPassword" type="password" required autoComplete="new-password" />
        </label>
        {problem && (
          <p className="notice notice-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {t.savePassword}
        </button>
      </form>
    </>
  );
};
