/**
 * Which grid columns a person hides and how wide they made the others, remembered in this
 * browser per signed-in user (a shared computer keeps each person's grid apart).
 */
import { useCallback, useState } from "react";

export interface GridPrefs {
  hidden: string[];
  widths: Record<string, number>;
}

const EMPTY: GridPrefs = { hidden: [], widths: {} };
const keyOf = (userId: string) => `cosell.grid.${userId}`;

const read = (userId: string): GridPrefs => {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(keyOf(userId)) ?? "null");
    if (typeof raw !== "object" || raw === null) return EMPTY;
    const hidden = "hidden" in raw && Array.isArray(raw.hidden) ? raw.hidden : [];
    const widths =
      "widths" in raw && typeof raw.widths === "object" && raw.widths ? raw.widths : {};
    return {
      hidden: hidden.filter((h): h is string => typeof h === "string"),
      widths: Object.fromEntries(
        Object.entries(widths).filter(
          (e): e is [string, number] => typeof e[1] === "number" && e[1] > 0,
        ),
      ),
    };
  } catch {
    return EMPTY;
  }
};

export function useGridPrefs(userId: string) {
  const [prefs, setPrefs] = useState<GridPrefs>(() => read(userId));
  const update = useCallback(
    (change: (p: GridPrefs) => GridPrefs) =>
      setPrefs((p) => {
        const next = change(p);
        try {
          localStorage.setItem(keyOf(userId), JSON.stringify(next));
        } catch {
          // Not remembered: the change still holds for this visit.
        }
        return next;
      }),
    [userId],
  );
  return { prefs, update };
}
