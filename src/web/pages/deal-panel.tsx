/**
 * One deal: its fields in groups, editable or locked (with the reason the server gives), and
 * the status moves the lifecycle table allows, asking for a reason where one is needed.
 * Saves with If-Match; when someone changed the deal meanwhile, what the person typed is kept
 * and each field both changed is shown with "keep mine" / "take theirs". Messages appear next
 * to the control that caused them.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { type CodeList, HELP_TYPES, SALES_STAGES } from "../../core/code-lists.js";
import {
  decodeSolution,
  decodeTeamMember,
  encodeSolution,
  encodeTeamMember,
} from "../../core/codecs/index.js";
import { type FieldKey, headerOf, listHeaderOf } from "../../core/columns.js";
import { isTerminal } from "../../core/lifecycle.js";
import { ApiError, localMessage, request, sendJson } from "../api.js";
import { currentLang } from "../locale.js";
import { type AllowedTransition, DealDetail, type Me, parse } from "../api-types.js";
import { Drawer } from "../components/drawer.js";
import { lang, t } from "../messages.js";
import { DealHistory } from "./deal-history.js";
import { DealSync } from "./deal-sync.js";

type ListField = "solutions" | "team";
type DraftKey = FieldKey | ListField;

/** The panel's groups, in the order a person reads a deal. */
const GROUPS = (): { title: string; keys: readonly DraftKey[] }[] => [
  {
    title: t.groupDeal,
    keys: ["name", "salesStage", "value", "currency", "closeDate", "crmId", "campaignId", "notes"],
  },
  {
    title: t.groupCustomer,
    keys: [
      "customerName",
      "customerCountry",
      "customerAddress1",
      "customerAddress2",
      "customerCity",
      "customerState",
      "customerPostalCode",
      "customerDuns",
    ],
  },
  {
    title: t.groupContact,
    keys: ["contactFirstName", "contactLastName", "contactPhone", "contactEmail", "consent"],
  },
  {
    title: t.groupMicrosoft,
    keys: ["shareWithMicrosoft", "helpRequired", "helpType", "notesToMicrosoft"],
  },
  { title: t.groupSolutions, keys: ["solutions"] },
  { title: t.groupTeam, keys: ["team"] },
];
const EDITABLE: readonly FieldKey[] = GROUPS()
  .flatMap((g) => g.keys)
  .filter((k): k is FieldKey => k !== "solutions" && k !== "team");
const WIDE: ReadonlySet<DraftKey> = new Set([
  "name",
  "notes",
  "notesToMicrosoft",
  "solutions",
  "team",
]);

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

const labelOf = (key: DraftKey): string =>
  key === "solutions" ? t.solutionsLabel : key === "team" ? t.teamLabel : headerOf(key, lang());

type Message = { kind: "success" | "warning" | "error"; text: string; items?: string[] } | null;

/** A message that clears itself when it is a success. */
const useMessage = () => {
  const [message, setMessage] = useState<Message>(null);
  useEffect(() => {
    if (message?.kind !== "success") return;
    const timer = setTimeout(() => setMessage(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage] as const;
};

const MessageLine = ({ message, id }: { message: Message; id: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.scrollIntoView({ block: "nearest" });
  }, [message]);
  return (
    <div
      id={id}
      ref={ref}
      role={message?.kind === "error" ? "alert" : "status"}
      className={message ? `inline-message notice-${message.kind}` : "inline-message"}
    >
      {message && (
        <>
          <span>{message.text}</span>
          {message.items && message.items.length > 0 && (
            <ul className="plain">
              {message.items.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
};

const errorItems = (e: unknown): string[] =>
  e instanceof ApiError && Array.isArray(e.details)
    ? e.details.flatMap((x: unknown) =>
        typeof x === "object" && x && "message" in x && typeof x.message === "string"
          ? [x.message]
          : [],
      )
    : [];

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
  /** Fields both the person and someone else changed: what the other person saved. */
  const [conflicts, setConflicts] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveMessage, setSaveMessage] = useMessage();
  const [moveMessage, setMoveMessage] = useMessage();
  const [busy, setBusy] = useState(false);

  const fetchDeal = useCallback(async () => {
    const res = await request(`/api/deals/${id}`);
    const d = parse(DealDetail, await res.json());
    return { deal: d, etag: res.headers.get("etag") ?? `"${d.version}"` };
  }, [id]);

  const show = useCallback((d: DealDetail, tag: string) => {
    setDeal(d);
    setEtag(tag);
    setDraft(toDraft(d));
    setConflicts({});
  }, []);

  useEffect(() => {
    fetchDeal()
      .then((r) => show(r.deal, r.etag))
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : t.error));
  }, [fetchDeal, show]);

  if (!deal) {
    return (
      <Drawer title={t.dealDetails} onClose={onClose}>
        {loadError ? <p className="error">{loadError}</p> : <p>{t.loading}</p>}
      </Drawer>
    );
  }

  const terminal = isTerminal(deal);
  const initial = toDraft(deal);

  /** Someone saved first: keep what this person typed, take the rest, show where both changed. */
  const mergeStale = async () => {
    const latest = await fetchDeal();
    const theirs = toDraft(latest.deal);
    const next: Draft = { ...theirs };
    const both: Record<string, string> = {};
    const alsoChanged: string[] = [];
    for (const key of Object.keys(theirs)) {
      const mine = draft[key] ?? "";
      const base = initial[key] ?? "";
      const other = theirs[key] ?? "";
      if (mine !== base) {
        next[key] = mine;
        if (other !== base && other !== mine) both[key] = other;
      } else if (other !== base) alsoChanged.push(labelOf(key as DraftKey));
    }
    setDeal(latest.deal);
    setEtag(latest.etag);
    setDraft(next);
    setConflicts(both);
    setSaveMessage({
      kind: "warning",
      text: Object.keys(both).length > 0 ? t.staleEditConflicts : t.staleEditKept,
      items: alsoChanged.length > 0 ? [t.alsoChanged(alsoChanged.join(", "))] : [],
    });
  };

  const patch = async (body: Record<string, unknown>, origin: "save" | "move") => {
    const say = origin === "save" ? setSaveMessage : setMoveMessage;
    setBusy(true);
    say(null);
    try {
      await sendJson(`/api/deals/${id}`, "PATCH", body, { "if-match": etag });
      const latest = await fetchDeal();
      show(latest.deal, latest.etag);
      say({ kind: "success", text: origin === "save" ? t.saved : t.statusChanged });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        if (origin === "save") await mergeStale();
        else {
          const latest = await fetchDeal();
          show(latest.deal, latest.etag);
          say({ kind: "warning", text: t.staleMove });
        }
      } else {
        say({
          kind: "error",
          text: e instanceof Error ? e.message : t.error,
          items: errorItems(e).filter((m) => m !== (e instanceof Error ? e.message : "")),
        });
      }
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const key of EDITABLE) {
      if (draft[key] !== initial[key]) body[key] = toValue(key, draft[key] ?? "");
    }
    for (const [list, decode, label] of [
      ["solutions", decodeSolution, listHeaderOf("solutions", 1, currentLang())],
      ["team", decodeTeamMember, listHeaderOf("team", 1, currentLang())],
    ] as const) {
      if (draft[list] === initial[list]) continue;
      const items: unknown[] = [];
      for (const [i, line] of (draft[list] ?? "")
        .split("\n")
        .filter((l) => l.trim())
        .entries()) {
        const r = decode(line, `${label.replace(/1$/, String(i + 1))}`);
        if (r.ok) items.push(r.value);
        else problems.push(localMessage(r));
      }
      body[list] = items;
    }
    if (problems.length > 0) {
      setSaveMessage({ kind: "error", text: t.fixBeforeSaving, items: problems });
      return;
    }
    if (Object.keys(body).length === 0) {
      setSaveMessage({ kind: "success", text: t.nothingToSave });
      return;
    }
    setConflicts({});
    void patch(body, "save");
  };

  const lockOf = (key: DraftKey) => (terminal ? undefined : deal.locks[key]);
  /** The lock reason most fields of a group share: said once, under the group's title. */
  const sharedLock = (keys: readonly DraftKey[]) => {
    const reasons = keys.map(lockOf).filter((r): r is string => Boolean(r));
    const first = reasons[0];
    return first && reasons.length >= 2 && reasons.every((r) => r === first) ? first : undefined;
  };

  const field = (key: DraftKey, groupLock: string | undefined, groupHintId: string) => {
    const lock = lockOf(key);
    const ownLine = lock !== undefined && lock !== groupLock;
    const label = labelOf(key);
    const value = draft[key] ?? "";
    const set = (v: string) => setDraft((d) => ({ ...d, [key]: v }));
    const fieldId = `field-${key}`;
    const hintId = `${fieldId}-hint`;
    const conflict = conflicts[key];
    const codes = key === "solutions" || key === "team" ? undefined : CODES[key];
    const common = {
      id: fieldId,
      "aria-describedby":
        ownLine || conflict !== undefined ? hintId : lock ? groupHintId : undefined,
    };
    return (
      <div
        key={key}
        className={`field${lock ? " locked" : ""}${WIDE.has(key) ? " wide" : ""}${conflict !== undefined ? " conflict" : ""}`}
      >
        <label htmlFor={fieldId}>{label}</label>
        {key === "solutions" || key === "team" ? (
          <textarea
            {...common}
            rows={3}
            value={value}
            readOnly={Boolean(lock)}
            placeholder={key === "solutions" ? t.solutionsHint : t.teamHint}
            onChange={(e) => set(e.target.value)}
          />
        ) : BOOLEAN.has(key) ? (
          <select
            {...common}
            value={value}
            disabled={Boolean(lock)}
            onChange={(e) => set(e.target.value)}
          >
            <option value="Yes">{t.yes}</option>
            <option value="No">{t.no}</option>
          </select>
        ) : codes ? (
          <select
            {...common}
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
        ) : key === "notes" || key === "notesToMicrosoft" ? (
          <textarea
            {...common}
            rows={2}
            value={value}
            readOnly={Boolean(lock)}
            onChange={(e) => set(e.target.value)}
          />
        ) : (
          <input
            {...common}
            value={value}
            readOnly={Boolean(lock)}
            type={key === "closeDate" ? "date" : key === "value" ? "number" : "text"}
            step={key === "value" ? "any" : undefined}
            onChange={(e) => set(e.target.value)}
          />
        )}
        {ownLine && (
          <small id={hintId} className="lock-reason">
            {t.lockedBecause(lock)}
          </small>
        )}
        {conflict !== undefined && (
          <fieldset id={hintId} className="conflict-choice" aria-label={t.conflictOf(label)}>
            <span>
              {t.theirValue}: <strong>{conflict === "" ? t.emptyValue : conflict}</strong>
            </span>
            <button
              type="button"
              className="button secondary"
              onClick={() =>
                setConflicts((c) =>
                  Object.fromEntries(Object.entries(c).filter(([k]) => k !== key)),
                )
              }
            >
              {t.keepMine}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                set(conflict);
                setConflicts((c) =>
                  Object.fromEntries(Object.entries(c).filter(([k]) => k !== key)),
                );
              }}
            >
              {t.takeTheirs}
            </button>
          </fieldset>
        )}
      </div>
    );
  };

  return (
    <Drawer title={deal.name} onClose={onClose} wide>
      <p className="meta">
        <span className={`pill pill-${deal.status.toLowerCase()}`}>
          {deal.status} · {deal.substatus}
        </span>{" "}
        {headerOf("referralId", lang())}: <span className="mono">{deal.id}</span> · {deal.type}
      </p>
      {terminal && (
        <p className="notice notice-info banner-closed" role="note">
          {t.terminalReadOnly}
        </p>
      )}

      <DealSync
        dealId={deal.id}
        version={deal.version}
        onResolved={(choice) => {
          // Partner Center's value was applied here: show the deal as it is now.
          if (choice === "remote") {
            void fetchDeal()
              .then((r) => show(r.deal, r.etag))
              .catch(() => {});
          }
          onSaved();
        }}
      />

      {!terminal && (
        <section className="transitions-box" aria-label={t.changeStatus}>
          <Transitions
            transitions={deal.allowedTransitions}
            busy={busy}
            onMove={(body) => patch(body, "move")}
          />
          <MessageLine message={moveMessage} id="move-message" />
        </section>
      )}

      <form onSubmit={save} className="deal-form" aria-label={t.dealDetails}>
        <fieldset disabled={terminal || busy} className="deal-fields">
          {GROUPS().map((g, i) => {
            const shared = sharedLock(g.keys);
            const hintId = `group-${i}-lock`;
            return (
              <fieldset key={g.title} className="group">
                <legend>{g.title}</legend>
                {shared && (
                  <p id={hintId} className="lock-reason group-lock">
                    {t.lockedBecause(shared)}
                  </p>
                )}
                <div className="group-fields">{g.keys.map((k) => field(k, shared, hintId))}</div>
              </fieldset>
            );
          })}
        </fieldset>
        {!terminal && (
          <div className="form-footer">
            <button
              type="submit"
              className="button"
              disabled={busy}
              aria-describedby="save-message"
            >
              {busy ? t.saving : t.save}
            </button>
            <MessageLine message={saveMessage} id="save-message" />
          </div>
        )}
      </form>
      <DealHistory dealId={deal.id} version={deal.version} />
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
        }).then(() => setChoice(-1));
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
