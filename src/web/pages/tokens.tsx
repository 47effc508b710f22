/** API tokens for scripts and the CLI's remote mode: create (shown once), list, revoke. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError, getJson, request, sendJson } from "../api.js";
import { NewToken, parse, type Token, TokenList } from "../api-types.js";
import { useConfirm } from "../components/confirm-dialog.js";
import { useExports } from "../exports.js";
import { formatDateTime } from "../locale.js";
import { t } from "../messages.js";

export const TokensPage = () => {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [secret, setSecret] = useState<{ id: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const { notify } = useExports();
  const { ask, dialog } = useConfirm();
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async () => setTokens(parse(TokenList, await getJson("/api/tokens")).items),
    [],
  );
  useEffect(() => {
    load().catch((e: unknown) => setError(e instanceof Error ? e.message : t.error));
  }, [load]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    try {
      const created = parse(
        NewToken,
        await sendJson("/api/tokens", "POST", { name: new FormData(form).get("name") }),
      );
      setSecret({ id: created.id, token: created.token });
      setCopied(false);
      form.reset();
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t.error);
    }
  };

  return (
    <>
      {dialog}
      <div className="banner">
        <h1>{t.apiTokens}</h1>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {secret && (
        <div className="notice notice-success" role="status">
          <p>{t.tokenCreated}</p>
          <div className="secret-row">
            <code className="secret" id="new-token">
              {secret.token}
            </code>
            <button
              type="button"
              className="button secondary"
              aria-label={t.copyToken}
              onClick={() => {
                void navigator.clipboard
                  ?.writeText(secret.token)
                  .then(() => setCopied(true))
                  .catch(() => {});
              }}
            >
              {copied ? t.copied : t.copy}
            </button>
          </div>
        </div>
      )}
      <form className="inline-form card" onSubmit={create}>
        <label>
          {t.tokenName}
          <input name="name" required maxLength={100} />
        </label>
        <button type="submit" className="button">
          {t.createToken}
        </button>
      </form>
      {tokens === null ? (
        <p>{t.loading}</p>
      ) : tokens.length === 0 ? (
        <p className="empty">{t.noTokens}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t.tokenName}</th>
              <th scope="col">{t.created_at}</th>
              <th scope="col">{t.lastUsed}</th>
              <th scope="col">
                <span className="sr-only">{t.revoke}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tok) => (
              <tr key={tok.id}>
                <td>{tok.name}</td>
                <td>{formatDateTime(tok.createdAt)}</td>
                <td>{tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t.never}</td>
                <td>
                  <button
                    type="button"
                    className="button secondary"
                    aria-label={`${t.revoke}: ${tok.name}`}
                    onClick={async () => {
                      const yes = await ask({
                        title: t.confirmRevokeTitle(tok.name),
                        consequence: t.confirmRevokeText,
                        action: t.revoke,
                      });
                      if (!yes) return;
                      try {
                        await request(`/api/tokens/${tok.id}`, { method: "DELETE" });
                        if (secret?.id === tok.id) setSecret(null);
                        notify("success", t.revoked(tok.name));
                        await load();
                      } catch (err) {
                        notify("error", err instanceof ApiError ? err.message : t.error);
                      }
                    }}
                  >
                    {t.revoke}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
