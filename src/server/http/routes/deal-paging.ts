/**
 * Keyset paging of `GET /api/deals`: the `after` a request names and the `next` a full page
 * hands out, both an opaque cursor (`core/deal-cursor.ts`) over the page's sort column and id.
 */
import { type DealCursor, decodeDealCursor, encodeDealCursor } from "../../../core/deal-cursor.js";
import type { DealQuery } from "../../../core/deal-query.js";
import { RequestError } from "../../../core/errors.js";
import type { DealView } from "../../commands/deals.js";

/** The cursor to start after; an offset beside it would skip deals twice, so it is refused. */
export function afterOf(text: string, offset: number | undefined): DealCursor {
  if (offset !== undefined && offset > 0) {
    throw new RequestError(
      "invalid_argument",
      "'after' and 'offset' cannot go together: follow `next` from the first page, without an offset",
    );
  }
  return decodeDealCursor(text);
}

/** `{ next }` when the page is full (more may follow), else nothing. */
export function nextOf(items: readonly DealView[], query: DealQuery): { next?: string } {
  const last = items.at(-1)?.deal;
  if (!last || items.length < query.limit) return {};
  const by = query.sort?.by ?? "createdAt";
  return { next: encodeDealCursor({ value: last[by], id: last.id }) };
}
