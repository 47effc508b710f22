/** SPEC §7: the numbered code lists, written once. */

export interface CodeList {
  readonly name: string;
  readonly entries: ReadonlyMap<number, string>;
}

const list = (name: string, labels: readonly string[]): CodeList => ({
  name,
  entries: new Map(labels.map((label, i) => [i + 1, label])),
});

export const DECLINE_LOST_REASONS = list("Declined/Lost reason", [
  "Project budget is not adequate",
  "Customer did not respond",
  "Customer chose another vendor",
  "Customer requirement not met",
  "Not a customer",
  "Proposed time line was too short",
  "Report as abuse, spam or phishing",
  "Others",
]);

export const ERROR_REASONS = list("Error reason", [
  "Duplicate – created through bulk upload",
  "Duplicate – created elsewhere",
  "Duplicate – sent by the vendor",
  "Data sync issue",
  "Customer matching issue",
  "Solution issue",
  "Test referral",
  "Data error",
  "Others",
]);

export const HELP_TYPES = list("What specific help from Microsoft?", [
  "Workload-specific value proposition",
  "Customer technical architecture",
  "Proof of concept / demo",
  "Quotes and licensing",
  "Post-sales customer success",
  "General or other",
]);

export const SALES_STAGES: CodeList = {
  name: "Sales Stage",
  entries: new Map([
    [10, "Created/Accepted"],
    [20, "Qualified"],
    [40, "Developed"],
    [60, "Proposed"],
    [80, "Negotiated"],
    [100, "Won"],
  ]),
};

/** "1 Project budget…, 2 …" for error messages that must say what is allowed. */
export const describeCodes = (codes: CodeList): string =>
  [...codes.entries].map(([code, label]) => `${code} ${label}`).join(", ");
