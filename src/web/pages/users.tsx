/** Referrals admins manage their organisation's users: add, change role, deactivate. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ROLES } from "../../core/actor.js";
import { ApiError, getJson, sendJson } from "../api.js";
import { type Me, NewUser, parse, type User, UserList } from "../api-types.js";
import { useConfirm } from "../components/confirm-dialog.js";
import { useExports } from "../exports.js";
import { roleName, t } from "../messages.js";
import { passwordErrorText, passwordProblemText, usePasswordPolicy } from "../password-rule.js";

/** One option per role of core's `ROLES`. */
const RoleOptions = () => (
  <>
    {ROLES.map((role) => (
      <option key={role} value={role}>
        {roleName(role)}
      </option>
    ))}
  </>
);

export const UsersPage = ({ me }: { me: Me }) => {
  const [users, setUsers] = useState<User[] | null>(null);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const { notify } = useExports();
  const policy = usePasswordPolicy();
  const { ask, dialog } = useConfirm();

  const load = useCallback(
    async () => setUsers(parse(UserList, await getJson("/api/users")).items),
    [],
  );
  useEffect(() => {
    load().catch((e: unknown) =>
      setMessage({ kind: "error", text: e instanceof Error ? e.message : t.error }),
    );
  }, [load]);

  const act = async (fn: () => Promise<unknown>, success?: string) => {
    try {
      await fn();
      if (success) notify("success", success);
      await load();
    } catch (e) {
      notify("error", e instanceof ApiError ? e.message : t.error);
    }
  };

  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const email = String(data.get("email") ?? "");
    // Typed: the same rule as everywhere, before it is sent; empty: the server generates one.
    const password = String(data.get("password") ?? "");
    const problem = password === "" ? null : passwordProblemText(password, policy, email);
    if (problem) {
      setMessage({ kind: "error", text: problem });
      return;
    }
    void (async () => {
      try {
        const created = parse(
          NewUser,
          await sendJson(
            "/api/users",
            "POST",
            {
              email,
              name: data.get("name") || undefined,
              role: data.get("role"),
              ...(password === "" ? {} : { password }),
            },
            // With a password, in English: passwordErrorText reads the rule from the server's words.
            password === "" ? {} : { "accept-language": "en" },
          ),
        );
        setMessage({ kind: "success", text: t.userAdded(created.email, created.password) });
        form.reset();
        await load();
      } catch (err) {
        const text = passwordErrorText(err, policy);
        setMessage({ kind: "error", text });
      }
    })();
  };

  return (
    <>
      {dialog}
      <div className="banner">
        <h1>{t.users}</h1>
      </div>
      {message && (
        <p
          className={`notice notice-${message.kind}`}
          role={message.kind === "error" ? "alert" : "status"}
        >
          {message.text}
        </p>
      )}
      <form className="inline-form card" onSubmit={add} aria-label={t.addUser}>
        <label>
          {t.email}
          <input name="email" type="email" required />
        </label>
        <label>
          {t.name}
          <input name="name" />
        </label>
        <label>
          {t.role}
          <select name="role" defaultValue="user">
            <RoleOptions />
          </select>
        </label>
        <label>
          {t.password}
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            aria-describedby="new-user-password-rule"
          />
        </label>
        <button type="submit" className="button">
          {t.addUser}
        </button>
        <p id="new-user-password-rule" className="hint">
          {t.passwordRuleNewUser(policy.minLength)}
        </p>
      </form>
      {users === null ? (
        <p>{t.loading}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t.email}</th>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.active}</th>
              <th scope="col">
                <span className="sr-only">{t.active}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.active ? undefined : "inactive"}>
                <td>{u.email}</td>
                <td>{u.name ?? ""}</td>
                <td>
                  <select
                    aria-label={`${t.role}: ${u.email}`}
                    value={u.role}
                    disabled={u.id === me.id}
                    onChange={(e) => {
                      const role = ROLES.find((r) => r === e.target.value);
                      if (!role) return;
                      void act(
                        () => sendJson(`/api/users/${u.id}`, "PATCH", { role }),
                        t.roleChanged(u.email, roleName(role)),
                      );
                    }}
                  >
                    <RoleOptions />
                  </select>
                </td>
                <td>{u.active ? t.active : t.inactive}</td>
                <td>
                  {u.id !== me.id && (
                    <button
                      type="button"
                      className="button secondary"
                      onClick={async () => {
                        const yes =
                          !u.active ||
                          (await ask({
                            title: t.confirmDeactivateTitle(u.email),
                            consequence: t.confirmDeactivateText,
                            action: t.deactivate,
                          }));
                        if (!yes) return;
                        void act(
                          () => sendJson(`/api/users/${u.id}`, "PATCH", { active: !u.active }),
                          u.active ? t.deactivated(u.email) : t.reactivated(u.email),
                        );
                      }}
                    >
                      {u.active ? t.deactivate : t.reactivate}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
