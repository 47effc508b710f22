import { describe, expect, it } from "vitest";
import { DECLINE_LOST_REASONS, ERROR_REASONS } from "./code-lists.js";
import { STATUSES, SUBSTATUSES } from "./deal.js";
import {
  type Actor,
  CREATE_START,
  CREATE_STATES,
  formatPair,
  isTerminal,
  isValidPair,
  planTransition,
  STATUS_TABLE,
  type StatusPair,
  samePair,
  TRANSITIONS,
} from "./lifecycle.js";

/** Every status × substatus combination, valid or not. */
const ALL_PAIRS: readonly StatusPair[] = STATUSES.flatMap((status) =>
  SUBSTATUSES.map((substatus) => ({ status, substatus })),
);
const ACTORS: readonly Actor[] = ["partner", "vendor", "system"];

const p = (text: string): StatusPair => {
  const [status, substatus] = text.split("/");
  const pair = ALL_PAIRS.find((x) => x.status === status && x.substatus === substatus);
  if (!pair) throw new Error(`no such pair ${text}`);
  return pair;
};

/**
 * SPEC §6, written out by hand (not derived from TRANSITIONS): every move that is allowed,
 * by whom, and under which transition name. Everything else is refused.
 */
const ALLOWED: readonly { from: string; to: string; by: Actor; name: string }[] = [
  { from: "New/Pending", to: "Active/Accepted", by: "partner", name: "accept" },
  { from: "New/Received", to: "Active/Accepted", by: "partner", name: "accept" },
  { from: "New/Pending", to: "Closed/Declined", by: "partner", name: "decline" },
  { from: "New/Received", to: "Closed/Declined", by: "partner", name: "decline" },
  { from: "Active/Accepted", to: "Closed/Won", by: "partner", name: "win" },
  { from: "Active/Accepted", to: "Closed/Lost", by: "partner", name: "lose" },
  { from: "New/Pending", to: "Closed/Error", by: "partner", name: "close-as-error" },
  { from: "New/Received", to: "Closed/Error", by: "partner", name: "close-as-error" },
  { from: "Active/Accepted", to: "Closed/Error", by: "partner", name: "close-as-error" },
  { from: "New/Pending", to: "Closed/Expired", by: "system", name: "expire" },
  { from: "New/Received", to: "Closed/Expired", by: "system", name: "expire" },
  { from: "New/Pending", to: "New/Received", by: "vendor", name: "receive" },
];

/** Targets only one kind of actor may ever set: anyone else gets `system_only_status`. */
const OWNED_TARGETS: Readonly<Record<string, Actor>> = {
  "Active/Accepted": "partner",
  "Closed/Declined": "partner",
  "Closed/Won": "partner",
  "Closed/Lost": "partner",
  "Closed/Error": "partner",
  "Closed/Expired": "system",
  "New/Received": "vendor",
};

describe("the status table (SPEC §6)", () => {
  it("lists exactly the substatuses and next statuses of the specification", () => {
    expect(STATUS_TABLE).toEqual({
      New: { substatuses: ["Pending", "Received"], next: ["New", "Active", "Closed"] },
      Active: { substatuses: ["Accepted"], next: ["Active", "Closed"] },
      Closed: { substatuses: ["Won", "Lost", "Declined", "Expired", "Error"], next: [] },
    });
  });

  it("gives every substatus to exactly one status", () => {
    for (const substatus of SUBSTATUSES) {
      const owners = STATUSES.filter((s) => STATUS_TABLE[s].substatuses.includes(substatus));
      expect(owners, substatus).toHaveLength(1);
    }
  });

  it("knows the valid pairs and the terminal ones", () => {
    const valid = ALL_PAIRS.filter(isValidPair).map(formatPair);
    expect(valid).toEqual([
      "New/Pending",
      "New/Received",
      "Active/Accepted",
      "Closed/Won",
      "Closed/Lost",
      "Closed/Declined",
      "Closed/Expired",
      "Closed/Error",
    ]);
    expect(ALL_PAIRS.filter(isValidPair).filter(isTerminal).map(formatPair)).toEqual([
      "Closed/Won",
      "Closed/Lost",
      "Closed/Declined",
      "Closed/Expired",
      "Closed/Error",
    ]);
  });

  it("creates outbound deals Active/Accepted and inbound deals New/Pending or New/Received", () => {
    expect(CREATE_STATES.outbound.map(formatPair)).toEqual(["Active/Accepted"]);
    expect(CREATE_STATES.inbound.map(formatPair)).toEqual(["New/Pending", "New/Received"]);
    for (const direction of ["outbound", "inbound"] as const) {
      expect(CREATE_STATES[direction].map(formatPair)).toContain(
        formatPair(CREATE_START[direction]),
      );
    }
  });
});

describe("TRANSITIONS agrees with STATUS_TABLE", () => {
  it.each(TRANSITIONS.map((t) => [t.name, t] as const))("%s", (_, t) => {
    expect(isValidPair(t.to)).toBe(true);
    expect(t.from.length).toBeGreaterThan(0);
    expect(t.by.length).toBeGreaterThan(0);
    for (const from of t.from) {
      expect(isValidPair(from)).toBe(true);
      expect(isTerminal(from)).toBe(false);
      expect(STATUS_TABLE[from.status].next).toContain(t.to.status);
      expect(samePair(from, t.to)).toBe(false);
    }
  });

  it("reaches every move the table allows between two different statuses, and New → New", () => {
    for (const status of STATUSES) {
      for (const next of STATUS_TABLE[status].next) {
        // Active has one substatus: Active → Active is staying put, not a transition.
        if (status === next && STATUS_TABLE[status].substatuses.length === 1) continue;
        const found = TRANSITIONS.some(
          (t) => t.to.status === next && t.from.some((f) => f.status === status),
        );
        expect(found, `${status} → ${next}`).toBe(true);
      }
    }
  });

  it("has one transition per name, and one target pair per name", () => {
    const names = TRANSITIONS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      ["accept", "close-as-error", "decline", "expire", "lose", "receive", "win"].sort(),
    );
  });

  it("asks for a Declined/Lost reason 1–8 to decline or lose, an error reason 1–9 to close as error, and none otherwise", () => {
    const reasons = Object.fromEntries(TRANSITIONS.map((t) => [t.name, t.reason]));
    expect(reasons).toEqual({
      accept: undefined,
      decline: DECLINE_LOST_REASONS,
      win: undefined,
      lose: DECLINE_LOST_REASONS,
      "close-as-error": ERROR_REASONS,
      expire: undefined,
      receive: undefined,
    });
    expect([...DECLINE_LOST_REASONS.entries.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...ERROR_REASONS.entries.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("sets the sales stage to 100 on Won, and only there", () => {
    const stages = TRANSITIONS.filter((t) => t.salesStage !== undefined).map((t) => [
      formatPair(t.to),
      t.salesStage,
    ]);
    expect(stages).toEqual([["Closed/Won", 100]]);
  });
});

describe("planTransition over every (from, to, actor)", () => {
  const cases = ALL_PAIRS.filter(isValidPair).flatMap((from) =>
    ALL_PAIRS.flatMap((to) => ACTORS.map((actor) => ({ from, to, actor }))),
  );

  it("covers 8 × 24 × 3 combinations", () => {
    expect(cases).toHaveLength(8 * 24 * 3);
  });

  it.each(cases.map((c) => [formatPair(c.from), formatPair(c.to), c.actor, c] as const))(
    "%s → %s by %s",
    (fromText, toText, actor, { from, to }) => {
      const plan = planTransition(from, to, actor);
      const allowed = ALLOWED.find((a) => a.from === fromText && a.to === toText && a.by === actor);
      if (!isValidPair(to)) {
        expect(plan).toMatchObject({ ok: false, code: "invalid_status_pair" });
        if (!plan.ok) expect(plan.message).toContain(`'${to.substatus}'`);
      } else if (fromText === toText) {
        expect(plan).toEqual({ ok: true, transition: null });
      } else if (isTerminal(from)) {
        expect(plan).toMatchObject({ ok: false, code: "terminal" });
        if (!plan.ok) expect(plan.message).toContain(fromText);
      } else if (allowed) {
        expect(plan.ok).toBe(true);
        if (plan.ok) expect(plan.transition?.name).toBe(allowed.name);
      } else {
        const owner = OWNED_TARGETS[toText];
        const code =
          owner !== undefined && owner !== actor ? "system_only_status" : "invalid_transition";
        expect(plan).toMatchObject({ ok: false, code });
        if (!plan.ok) expect(plan.message).toContain(toText);
      }
    },
  );

  it("allows exactly the moves of SPEC §6, and nothing else", () => {
    const granted = cases
      .filter((c) => !samePair(c.from, c.to))
      .filter((c) => planTransition(c.from, c.to, c.actor).ok)
      .map((c) => `${formatPair(c.from)} → ${formatPair(c.to)} by ${c.actor}`);
    expect(granted.sort()).toEqual(ALLOWED.map((a) => `${a.from} → ${a.to} by ${a.by}`).sort());
  });

  it("refuses everything on a terminal deal, even by the system or the vendor", () => {
    for (const from of ALL_PAIRS.filter(isValidPair).filter(isTerminal)) {
      for (const to of ALL_PAIRS.filter(isValidPair)) {
        for (const actor of ACTORS) {
          const plan = planTransition(from, to, actor);
          if (samePair(from, to)) expect(plan).toEqual({ ok: true, transition: null });
          else expect(plan).toMatchObject({ ok: false, code: "terminal" });
        }
      }
    }
  });

  it("says where a refused deal may go instead", () => {
    const plan = planTransition(p("Active/Accepted"), p("New/Pending"), "partner");
    expect(plan).toEqual({
      ok: false,
      code: "invalid_transition",
      message:
        "A deal that is Active/Accepted cannot move to New/Pending (it may move to Closed/Won, Closed/Lost, Closed/Error)",
      fr: expect.any(String),
    });
  });

  it("says that Expired is set by the system only", () => {
    const plan = planTransition(p("New/Received"), p("Closed/Expired"), "partner");
    expect(plan).toMatchObject({ ok: false, code: "system_only_status" });
    if (!plan.ok) expect(plan.message).toContain("system");
  });
});
