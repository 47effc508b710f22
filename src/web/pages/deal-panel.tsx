/**
 * One deal: its fields, editable or locked (with the reason the server gives), and the
 * status moves the lifecycle table allows, asking for a reason where one is needed.
 * Saves with If-Match, so an edit made on a stale copy is refused and explained.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type CodeList, HELP_TYPES, SALES_STAGES } from "../../core/code-lists.js";
import {
  decodeSolution,
  decodeTeamMember,
  encodeSolution,
  encodeTeamMember,
} from "../../core/codecs/index.js";
import { FIELD_KEYS, type FieldKey, headerOf, listHeaderOf } from "../../core/columns.js";
import { ApiError, request, sendJson } from "../api.js";
import { type AllowedTransition, DealDetail, type Me, parse } from "../api-types.js";
import { Drawer } from "../components/drawer.js";
import { t } from "../messages.js";

/** Fields the panel edits directly; status, substatus and reason go through a transition. */
const NOT_IN_FORM: ReadonlySet<FieldKey> = new Set([
  "status",
  "substatus",
  "closeReason",
  "engagementId",
  "microsoftStatus",
]);
const EDITABLE: readonly FieldKey[] = FIELD_KEYS.filter((k) => !NOT_IN_FORM.has(k));

const BOOLEAN: ReadonlySet<FieldKey> = new Set(["helpRequired", "shareWithMicrosoft", "consent"]);
const CODES: Partial<Record<FieldKey, CodeList>> = {
  salesStage: SALES_STAGES,
  helpType: HELP_TYPES,
};

type Draft = Record<string, string>;

const asText = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "Yes" : "No") : String(v);

const toDraft = (deal: DealDetail): Draft => {
  const d: Draft = {};
  for (const key of EDITABLE) d[key] = asText(deal[key]);
  d.solutions = deal.solutions.map(encodeSolution).join("\n");
  d.team = deal.team.map(encodeTeamMember).join("\n");
  return d;
};

/** The JSON value of an edited field, as the API takes it. */
const toValue = (key: FieldKey, text: string): unknown => {
  if (text.trim() === "") return null;
  if (BOOLEAN.has(key)) return text === "Yes";
  if (key === "value" || CODES[key]) return Number(text);
  return text;
};

export const DealPanel = ({
  id,
  onClose,
  onSaved,
}: {
  id: string;
  me: Me;
  onClose: () => void;
  onSaved: () => void;
}) => {
  const [deal, setDeal] = useState<DealDetail | null>(null);
  const [etag, setEtag] = useState<string>("");
  const [draft, setDraft] = useState<Draft>({});
  const [errors, setErrors] = useState<{ column: string; message: string }[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await request(`/api/deals/${id}`);
    const d = parse(DealDetail, await res.json());
    setDeal(d);
    setEtag(res.headers.get("etag") ?? `"${d.version}"`);
    setDraft(toDraft(d));
  }, [id]);

  useEffect(() => {
    load().catch((e: unknown) =>
      setErrors([{ column: "", message: e instanceof Error ? e.message : t.error }]),
    );
  }, [load]);

  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    setErrors([]);
    setNotice(null);
    try {
      await sendJson(`/api/deals/${id}`, "PATCH", body, { "if-match": etag });
      await load();
      setNotice(t.saved);
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        await load();
        setNotice(t.staleEdit);
      } else if (e instanceof ApiError && Array.isArray(e.details)) {
        setErrors(
          e.details.flatMap((x: unknown) =>
            typeof x === "object" && x && "message" in x && typeof x.message === "string"
              ? [
                  {
                    column: "column" in x && typeof x.column === "string" ? x.column : "",
                    message: x.message,
                  },
                ]
              : [],
          ),
        );
      } else setErrors([{ column: "", message: e instanceof Error ? e.message : t.error }]);
    } finally {
      setBusy(false);
    }
  };

  if (!deal) {
    return (
      <Drawer title={t.dealDetails} onClose={onClose}>
        {errors.length > 0 ? <p className="error">{errors[0]?.message}</p> : <p>{t.loading}</p>}
      </Drawer>
    );
  }

  const terminal = deal.status === "Closed";
  const initial = toDraft(deal);

  const save = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    const problems: { column: string; message: string }[] = [];
    for (const key of EDITABLE) {
      if (draft[key] !== initial[key]) body[key] = toValue(key, draft[key] ?? "");
    }
    for (const [list, decode, label] of [
      ["solutions", decodeSolution, listHeaderOf("solutions", 1, "en")],
      ["team", decodeTeamMember, listHeaderOf("team", 1, "en")],
    ] as const) {
      if (draft[list] === initial[list]) continue;
      const items: unknown[] = [];
      for (const [i, line] of (draft[list] ?? "")
        .split("\n")
        .filter((l) => l.trim())
        .entries()) {
        const r = decode(line, `${label.replace(/1$/, String(i + 1))}`);
        if (r.ok) items.push(r.value);
        else problems.push({ column: label, message: r.message });
      }
      body[list] = items;
    }
    if (problems.length > 0) return setErrors(problems);
    if (Object.keys(body).length > 0) void patch(body);
  };

  return (
    <Drawer title={deal.name} onClose={onClose} wide>
      <p className="meta">
        <span className={`pill pill-${deal.status.toLowerCase()}`}>
          {deal.status} · {deal.substatus}
        </span>{" "}
        {headerOf("referralId", "en")}: <span className="mono">{deal.id}</span> · {deal.type}
      </p>
      {terminal && <p className="notice notice-info">{t.terminalReadOnly}</p>}
      {notice && (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      )}
      {errors.length > 0 && (
        <ul className="error-list" role="alert">
          {errors.map((e) => (
            <li key={`${e.column}${e.message}`}>{e.message}</li>
          ))}
        </ul>
      )}

      {!terminal && (
        <Transitions transitions={deal.allowedTransitions} busy={busy} onMove={patch} />
      )}

      <form onSubmit={save} className="deal-form">
        <fieldset disabled={terminal || busy}>
          {EDITABLE.map((key) => {
            const lock = deal.locks[key];
            const label = headerOf(key, "en");
            const value = draft[key] ?? "";
            const set = (v: string) => setDraft((d) => ({ ...d, [key]: v }));
            const codes = CODES[key];
            return (
              <div key={key} className={lock ? "field locked" : "field"}>
                <label htmlFor={`field-${key}`}>
                  {label}
                  {lock && <small className="lock-reason"> {t.lockedBecause(lock)}</small>}
                </label>
                {BOOLEAN.has(key) ? (
                  <select
                    value={value}
                    disabled={Boolean(lock)}
                    onChange={(e) => set(e.target.value)}
                  >
                    <option value="Yes">Yes</option>
                    <option value="No">No</option>
                  </select>
                ) : codes ? (
                  <select
                    value={value}
                    disabled={Boolean(lock)}
                    onChange={(e) => set(e.target.value)}
                  >
                    <option value="">—</option>
                    {[...codes.entries].map(([code, text]) => (
                      <option key={code} value={String(code)}>
                        {code} · {text}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`field-${key}`}
                    value={value}
                    readOnly={Boolean(lock)}
                    type={key === "closeDate" ? "date" : key === "value" ? "number" : "text"}
                    step={key === "value" ? "any" : undefined}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
              </div>
            );
          })}
          <label>
            <span>
              {listHeaderOf("solutions", 1, "en").replace(/ 1$/, "s")} (one per line: ID, currency,
              price, quantity)
            </span>
            <textarea
              rows={3}
              value={draft.solutions ?? ""}
              onChange={(e) => setDraft((d) => ({ ...d, solutions: e.target.value }))}
            />
          </label>
          <label>
            <span>
              {listHeaderOf("team", 1, "en").replace(/ 1$/, "s")} (one per line: first, last, phone,
              email)
            </span>
            <textarea
              rows={3}
              value={draft.team ?? ""}
              onChange={(e) => setDraft((d) => ({ ...d, team: e.target.value }))}
            />
          </label>
          {!terminal && (
            <button type="submit" className="button">
              {busy ? t.saving : t.save}
            </button>
          )}
        </fieldset>
      </form>
    </Drawer>
  );
};

const Transitions = ({
  transitions,
  busy,
  onMove,
}: {
  transitions: AllowedTransition[];
  busy: boolean;
  onMove: (body: Record<string, unknown>) => Promise<void>;
}) => {
  const [choice, setChoice] = useState<number>(-1);
  const [reason, setReason] = useState("");
  const chosen = transitions[choice];
  if (transitions.length === 0) return <p>{t.noMoves}</p>;
  return (
    <form
      className="transitions"
      onSubmit={(e) => {
        e.preventDefault();
        if (!chosen) return;
        void onMove({
          status: chosen.to.status,
          substatus: chosen.to.substatus,
          ...(chosen.reason ? { closeReason: reason === "" ? null : Number(reason) } : {}),
        });
      }}
    >
      <label>
        {t.moveTo}
        <select value={choice} onChange={(e) => setChoice(Number(e.target.value))}>
          <option value={-1}>—</option>
          {transitions.map((tr, i) => (
            <option key={tr.name} value={i}>
              {tr.to.status} · {tr.to.substatus}
            </option>
          ))}
        </select>
      </label>
      {chosen?.reason && (
        <label>
          {chosen.reason.name}
          <select value={reason} onChange={(e) => setReason(e.target.value)} required>
            <option value="">{t.chooseReason}</option>
            {chosen.reason.codes.map((c) => (
              <option key={c.code} value={String(c.code)}>
                {c.code} · {c.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="button" disabled={busy || !chosen}>
        {t.changeStatus}
      </button>
    </form>
  );
};
