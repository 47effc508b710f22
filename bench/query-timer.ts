/**
 * A Kysely plugin that records when each statement starts (compilation included) and when
 * its result is back, labelled by kind and table, e.g. `update deals`. Begin and commit do
 * not pass through plugins; they show up in what is left of the total.
 */

import { performance } from "node:perf_hooks";
import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SelectQueryNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from "kysely";
import { type BulkStatement, bulkStatements } from "../src/server/db/bulk-statements.js";

export interface Span {
  label: string;
  start: number;
  end: number;
  /**
   * Run on a transaction's one connection, where statements wait for the ones before them
   * (bulk.ts `pipeline` hands several over at once): see `ownSpans`.
   */
  serial: boolean;
}

const tableOf = (node: OperationNode | undefined): string => {
  if (!node) return "?";
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableOf(node.node);
  return "?";
};

const labelOf = (node: RootOperationNode): string => {
  if (InsertQueryNode.is(node)) return `insert ${tableOf(node.into)}`;
  if (UpdateQueryNode.is(node)) return `update ${tableOf(node.table)}`;
  if (DeleteQueryNode.is(node)) return `delete ${tableOf(node.from.froms[0])}`;
  if (SelectQueryNode.is(node)) return `select ${tableOf(node.from?.froms[0])}`;
  return node.kind;
};

/** `insert deals`, `update deals`, … from the SQL text of a statement bulk.ts ran. */
const labelOfText = (text: string): string => {
  const t = text.replace(/\s+/g, " ").trim().toLowerCase();
  const kind = /^(?:with .*? as \(.*?\) )?(insert into|update|delete from|copy) (\w+)/.exec(t);
  if (kind?.[1] === "copy") return `insert ${kind[2]}`;
  if (kind) return `${(kind[1] ?? "").split(" ")[0]} ${kind[2]}`;
  const from = / from (\w+)/.exec(t);
  return `select ${from?.[1] ?? "?"}`;
};

/** The plugin, plus the statements bulk.ts runs (announced on its diagnostics channel). */
export class QueryTimer implements KyselyPlugin {
  spans: Span[] = [];
  readonly #open = new Map<string, { label: string; start: number }>();
  readonly #onBulk = (message: unknown) => {
    const m = message as BulkStatement;
    this.spans.push({
      label: labelOfText(m.text),
      start: m.start,
      end: m.end,
      serial: m.inTransaction,
    });
  };

  /** Starts listening to bulk.ts's statements; `stop` ends it. */
  start(): void {
    bulkStatements.subscribe(this.#onBulk);
  }

  stop(): void {
    bulkStatements.unsubscribe(this.#onBulk);
  }

  reset(): void {
    this.spans = [];
    this.#open.clear();
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#open.set(args.queryId.queryId, { label: labelOf(args.node), start: performance.now() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const open = this.#open.get(args.queryId.queryId);
    if (open) {
      this.#open.delete(args.queryId.queryId);
      // The import's own Kysely statements (its record, the list version) are all in its
      // transaction; its look-ups go through bulk.ts.
      this.spans.push({ ...open, end: performance.now(), serial: true });
    }
    return args.result;
  }
}

/**
 * Each span from when it could run: a serial span starts no earlier than the serial span
 * handed over before it ended, since its connection runs one statement at a time. Others
 * (look-ups side by side on pooled connections) keep their times.
 */
export const ownSpans = (spans: readonly Span[]): Span[] => {
  let free = Number.NEGATIVE_INFINITY;
  return [...spans]
    .sort((a, b) => a.start - b.start)
    .map((s) => {
      if (!s.serial) return s;
      const own = { ...s, start: Math.max(s.start, free) };
      free = s.end;
      return own;
    });
};

/** Wall time covered by the spans (overlapping spans, e.g. of a Promise.all, count once). */
export const coveredMs = (spans: readonly Span[]): number => {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let until = Number.NEGATIVE_INFINITY;
  for (const s of sorted) {
    if (s.end <= until) continue;
    total += s.end - Math.max(s.start, until);
    until = s.end;
  }
  return total;
};
