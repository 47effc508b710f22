/**
 * The import panel's mapping step, before the check, for a file whose headers cosell does not
 * know (a CRM export) or that lacks mandatory ones: each column of the file with a sample of
 * its values and the co-sell column it fills, or "ignore" — the server's best guess (or the
 * saved mapping that fits the file) preselected. The mapping can be saved under a name for the
 * organisation; it is then chosen by itself for files with the same headers.
 */
import { useEffect, useMemo, useState } from "react";
import { mapHeadersWith, missingMandatory, wantsMappingStep } from "../../core/column-mapping.js";
import { COLUMNS, headerOf, listHeaderOf } from "../../core/columns.js";
import { FileRejectedError, RequestError } from "../../core/errors.js";
import { localMessage, request, sendJson } from "../api.js";
import { Preview, parse } from "../api-types.js";
import type { Source } from "../import-check.js";
import { currentLang } from "../locale.js";
import { t } from "../messages.js";

/** What the step decided: the mapping, and the saved one's name when it was taken as it is. */
export interface ChosenMapping {
  mapping: Record<string, string | null>;
  preset: string | null;
}

/** How many Solution and Team member columns the list offers (a guess may name more). */
const LIST_CHOICES = 5;

/** Every co-sell column a file column may fill (English header), in template order. */
const targetsOf = (extra: readonly (string | null)[]): string[] => {
  const listed = [
    ...COLUMNS.filter((c) => c.lock !== "system" || c.key === "referralId").map((c) => c.en),
    ...Array.from({ length: LIST_CHOICES }, (_, i) => listHeaderOf("solutions", i + 1, "en")),
    ...Array.from({ length: LIST_CHOICES }, (_, i) => listHeaderOf("team", i + 1, "en")),
  ];
  const more = extra.filter((x): x is string => x !== null && !listed.includes(x));
  return [...listed, ...new Set(more)];
};

/** A co-sell column's header in the interface's language. */
const labelOf = (en: string): string => {
  const lang = currentLang();
  const column = COLUMNS.find((c) => c.en === en);
  if (column) return headerOf(column.key, lang);
  const list = /^(Solution|Team member) (\d+)$/.exec(en);
  if (list?.[2]) {
    return listHeaderOf(list[1] === "Solution" ? "solutions" : "team", Number(list[2]), lang);
  }
  return en;
};

const errorText = (error: unknown): string =>
  error instanceof FileRejectedError || error instanceof RequestError
    ? localMessage(error)
    : error instanceof Error
      ? error.message
      : String(error);

const IGNORE = "";

export const MappingStep = ({
  source,
  onDone,
}: {
  source: Source;
  onDone: (chosen: ChosenMapping) => void;
}) => {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [choice, setChoice] = useState<Map<number, string | null>>(new Map());
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [presetName, setPresetName] = useState("");
  const [saved, setSaved] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one preview per picked file (`onDone` changes every render).
  useEffect(() => {
    let live = true;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(source.bytes)]), source.name);
    request("/api/imports/preview", { method: "POST", body: form })
      .then(async (res) => {
        const answer = parse(Preview, await res.json());
        if (!live) return;
        // A workbook is read by the server alone: with headers cosell knows, there is nothing to map.
        if (!wantsMappingStep(answer.columns.map((c) => c.header))) {
          onDone({ mapping: {}, preset: null });
          return;
        }
        setPreview(answer);
        setChoice(new Map(answer.columns.map((c) => [c.index, c.target])));
        if (answer.preset) setPresetName(answer.preset.name);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [source]);

  const targets = useMemo(() => targetsOf(preview?.columns.map((c) => c.target) ?? []), [preview]);

  if (!preview) {
    return error ? (
      <p className="error" role="alert">
        {error}
      </p>
    ) : (
      <p role="status">{t.mappingLoading}</p>
    );
  }

  const mapping: Record<string, string | null> = {};
  for (const c of preview.columns) {
    const chosen = choice.get(c.index) ?? null;
    if (c.header.trim() === "" || (c.source === "template" && chosen === c.target)) continue;
    mapping[c.header] = chosen;
  }
  let check: { missing: string[]; problem: string | null };
  try {
    const map = mapHeadersWith(
      preview.columns.map((c) => c.header),
      mapping,
    );
    check = {
      missing: map.columns.has("referralId") ? [] : missingMandatory(map),
      problem: null,
    };
  } catch (e) {
    check = { missing: [], problem: errorText(e) };
  }
  const preset = preview.preset && !touched ? preview.preset.name : null;

  const savePreset = async () => {
    const name = presetName.trim();
    if (name === "") return;
    setError(null);
    try {
      await sendJson(`/api/import-presets/${encodeURIComponent(name)}`, "PUT", { mapping });
      setSaved(name);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="mapping-title" className="mapping">
      <h3 id="mapping-title">{t.mappingTitle}</h3>
      <p>{t.mappingIntro}</p>
      {preview.preset && (
        <p className="notice notice-info" role="status">
          {t.mappingPresetChosen(preview.preset.name)}
        </p>
      )}
      <table className="grid compact">
        <caption className="sr-only">{t.mappingTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{t.mappingFileColumn}</th>
            <th scope="col">{t.mappingSamples}</th>
            <th scope="col">{t.mappingTarget}</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns
            .filter((c) => c.header.trim() !== "")
            .map((c) => (
              <tr key={c.index}>
                <th scope="row" className="mono">
                  {c.header}
                </th>
                <td className="mono samples">
                  {c.samples.length > 0 ? c.samples.join(" · ") : <i>{t.mappingNoSamples}</i>}
                </td>
                <td>
                  <select
                    aria-label={t.mappingSelect(c.header)}
                    value={choice.get(c.index) ?? IGNORE}
                    onChange={(e) => {
                      const value = e.target.value;
                      setChoice((m) => new Map(m).set(c.index, value === IGNORE ? null : value));
                      setTouched(true);
                      setSaved(null);
                    }}
                  >
                    <option value={IGNORE}>{t.mappingIgnore}</option>
                    {targets.map((target) => (
                      <option key={target} value={target}>
                        {labelOf(target)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {check.missing.length > 0 && (
        <p className="notice notice-warning">
          {t.mappingMissing(check.missing.map(labelOf).join(", "))}
        </p>
      )}
      {check.problem && (
        <p className="error" role="alert">
          {check.problem}
        </p>
      )}
      <div className="preset-save">
        <label>
          {t.presetName}{" "}
          <input value={presetName} onChange={(e) => setPresetName(e.target.value)} />
        </label>{" "}
        <button
          type="button"
          className="button secondary"
          disabled={presetName.trim() === "" || check.problem !== null}
          onClick={() => void savePreset()}
        >
          {t.savePreset}
        </button>
        {saved && (
          <span role="status" className="saved">
            {" "}
            {t.presetSaved(saved)}
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button"
        disabled={check.problem !== null}
        onClick={() => onDone({ mapping, preset })}
      >
        {t.mappingContinue}
      </button>
    </section>
  );
};
