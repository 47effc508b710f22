/**
 * The slice of OData the Referrals API documents for listing (`$filter` with `eq`/`ne`/`gt`/
 * `ge`/`lt`/`le`, `and`, `or`, `not`, parentheses and `/` paths; `$orderby` on the two dates),
 * parsed strictly so that a connector sending anything else finds out here, not in production.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Literal = string | number | boolean | null | { date: number };

type Expr =
  | { kind: "cmp"; op: "eq" | "ne" | "gt" | "ge" | "lt" | "le"; path: string[]; value: Literal }
  | { kind: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; inner: Expr };

export class ODataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ODataError";
  }
}

const TOKEN =
  /\s*(?:(\()|(\))|'((?:[^']|'')*)'|(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_/]*))/y;

interface Token {
  type: "(" | ")" | "string" | "date" | "number" | "word";
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new ODataError(`$filter: cannot read '${text.slice(at, at + 20)}'`);
    if (m[1]) tokens.push({ type: "(", text: "(" });
    else if (m[2]) tokens.push({ type: ")", text: ")" });
    else if (m[3] !== undefined) tokens.push({ type: "string", text: m[3].replace(/''/g, "'") });
    else if (m[4]) tokens.push({ type: "date", text: m[4] });
    else if (m[5]) tokens.push({ type: "number", text: m[5] });
    else if (m[6]) tokens.push({ type: "word", text: m[6] });
  }
  return tokens;
}

const COMPARISONS = ["eq", "ne", "gt", "ge", "lt", "le"] as const;

/** Parses a `$filter` expression; throws ODataError on anything outside the documented slice. */
export function parseFilter(text: string): Expr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const t = tokens[i++];
    if (!t) throw new ODataError("$filter ends too early");
    return t;
  };
  const orExpr = (): Expr => {
    let left = andExpr();
    while (peek()?.type === "word" && peek()?.text === "or") {
      i++;
      left = { kind: "or", left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = unary();
    while (peek()?.type === "word" && peek()?.text === "and") {
      i++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    const t = next();
    if (t.type === "word" && t.text === "not") return { kind: "not", inner: unary() };
    if (t.type === "(") {
      const inner = orExpr();
      if (next().type !== ")") throw new ODataError("$filter: missing ')'");
      return inner;
    }
    if (t.type !== "word") throw new ODataError(`$filter: expected a property, got '${t.text}'`);
    if (t.text.includes("/any") || peek()?.type === "(") {
      throw new ODataError(`$filter: '${t.text}(…)' is not supported by this simulator`);
    }
    const opToken = next();
    const op = COMPARISONS.find((c) => c === opToken.text);
    if (opToken.type !== "word" || !op) {
      throw new ODataError(`$filter: expected eq, ne, gt, ge, lt or le after '${t.text}'`);
    }
    const v = next();
    let value: Literal;
    if (v.type === "string") value = v.text;
    else if (v.type === "date") value = { date: Date.parse(v.text) };
    else if (v.type === "number") value = Number(v.text);
    else if (v.type === "word" && (v.text === "true" || v.text === "false"))
      value = v.text === "true";
    else if (v.type === "word" && v.text === "null") value = null;
    else throw new ODataError(`$filter: '${v.text}' is not a value`);
    if (typeof value === "object" && value !== null && Number.isNaN(value.date)) {
      throw new ODataError(`$filter: '${v.text}' is not a date-time`);
    }
    return {
      kind: "cmp",
      op,
      path: t.text.split("/"),
      value,
    };
  };
  const expr = orExpr();
  if (i !== tokens.length) throw new ODataError(`$filter: unexpected '${tokens[i]?.text}'`);
  return expr;
}

function valueAt(doc: Json, path: readonly string[]): Json {
  let cur: Json = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return null;
    cur = cur[key] ?? null;
  }
  return cur;
}

function compare(actual: Json, wanted: Literal): number | null {
  if (wanted === null) return actual === null ? 0 : null;
  if (typeof wanted === "object") {
    if (typeof actual !== "string") return null;
    const t = Date.parse(actual);
    return Number.isNaN(t) ? null : Math.sign(t - wanted.date);
  }
  if (typeof actual === "string" && typeof wanted === "string") {
    // Enumerations compare without regard to case, as the service's examples do.
    const a = actual.toLowerCase();
    const b = wanted.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof actual === "number" && typeof wanted === "number") return Math.sign(actual - wanted);
  if (typeof actual === "boolean" && typeof wanted === "boolean") return actual === wanted ? 0 : 1;
  return null;
}

export function matches(expr: Expr, doc: Json): boolean {
  switch (expr.kind) {
    case "and":
      return matches(expr.left, doc) && matches(expr.right, doc);
    case "or":
      return matches(expr.left, doc) || matches(expr.right, doc);
    case "not":
      return !matches(expr.inner, doc);
    case "cmp": {
      const c = compare(valueAt(doc, expr.path), expr.value);
      if (expr.op === "ne") return c !== 0;
      if (c === null) return false;
      if (expr.op === "eq") return c === 0;
      if (expr.op === "gt") return c > 0;
      if (expr.op === "ge") return c >= 0;
      if (expr.op === "lt") return c < 0;
      return c <= 0;
    }
  }
}

export const ORDERABLE = ["createdDateTime", "updatedDateTime"] as const;
export type Orderable = (typeof ORDERABLE)[number];

export interface OrderBy {
  field: Orderable;
  descending: boolean;
}

/** `$orderby`: one of the two documented date fields, optionally `asc`/`desc`. */
export function parseOrderBy(text: string): OrderBy {
  const [field, dir, ...rest] = text.trim().split(/\s+/);
  const known = ORDERABLE.find((f) => f === field);
  if (!known || rest.length > 0 || (dir !== undefined && dir !== "asc" && dir !== "desc")) {
    throw new ODataError(
      `$orderby '${text}' is not supported (use createdDateTime or updatedDateTime, asc or desc)`,
    );
  }
  return { field: known, descending: dir === "desc" };
}
