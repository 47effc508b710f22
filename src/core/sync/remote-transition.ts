/**
 * A status Partner Center reached, walked here through the lifecycle table: the shortest
 * chain of the table's own transitions (any actor, since the vendor's side may have been the
 * partner on Partner Center, Microsoft, or its expiry) from the deal's pair to the remote one.
 * No chain means the table forbids it (e.g. out of a terminal state): the sync reports it.
 */
import { samePair, type StatusPair, TRANSITIONS, type Transition } from "../lifecycle.js";

export function transitionPath(from: StatusPair, to: StatusPair): Transition[] | null {
  if (samePair(from, to)) return [];
  const seen: StatusPair[] = [from];
  let frontier: { at: StatusPair; path: Transition[] }[] = [{ at: from, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { at, path } of frontier) {
      for (const t of TRANSITIONS) {
        if (!t.from.some((f) => samePair(f, at))) continue;
        if (seen.some((s) => samePair(s, t.to))) continue;
        const step = [...path, t];
        if (samePair(t.to, to)) return step;
        seen.push(t.to);
        next.push({ at: t.to, path: step });
      }
    }
    frontier = next;
  }
  return null;
}
