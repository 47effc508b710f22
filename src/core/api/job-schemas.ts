/**
 * Import and export jobs as JSON, as TypeBox schemas: the server serialises and documents its
 * answers with them, and the web page and the CLI's remote mode check what they read with the
 * very same ones.
 */
import { type Static, Type } from "typebox";
import { FIELD_KEYS } from "../columns.js";
import { INPUT_LISTS } from "../deal-input.js";
import { ROW_ERROR_CODES } from "../errors.js";
import { JOB_STATUSES } from "../jobs.js";
import { orNull } from "./deal-schemas.js";

export const JobStatusSchema = Type.Enum(JOB_STATUSES);
export const ProgressSchema = Type.Object({ processed: Type.Integer(), total: Type.Integer() });
export const FailureSchema = orNull(Type.Object({ code: Type.String(), message: Type.String() }));
export type JobFailureJson = Static<typeof FailureSchema>;

export const ImportLinksSchema = Type.Object({
  self: Type.String(),
  rows: Type.String(),
  results: Type.String(),
});
export const ExportLinksSchema = Type.Object({ self: Type.String(), file: Type.String() });

/** The same keys as `cosell import --json`, without the rows. */
export const ImportSummarySchema = Type.Object({
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  notProcessed: Type.Integer(),
  ignoredColumns: Type.Array(Type.String()),
});
export type ImportSummaryJson = Static<typeof ImportSummarySchema>;

export const ImportJobSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal("import"),
  status: JobStatusSchema,
  progress: ProgressSchema,
  dryRun: Type.Boolean(),
  fileName: orNull(Type.String()),
  submittedBy: Type.String(),
  createdAt: Type.String(),
  startedAt: orNull(Type.String()),
  finishedAt: orNull(Type.String()),
  error: FailureSchema,
  summary: orNull(ImportSummarySchema),
  resultsReady: Type.Boolean(),
  links: ImportLinksSchema,
});
export type ImportJobJson = Static<typeof ImportJobSchema>;

export const ImportListSchema = Type.Object({
  items: Type.Array(ImportJobSchema),
  total: Type.Integer(),
});

// Results, codes and fields are core's lists: a client of another version fails loudly.
export const ImportRowSchema = Type.Object({
  row: Type.Integer(),
  result: Type.Enum(["Created", "Updated", "Unchanged", "Not processed"]),
  referralId: orNull(Type.String()),
  engagementId: orNull(Type.String()),
  errors: Type.Array(
    Type.Object({
      column: Type.String(),
      code: Type.Enum(ROW_ERROR_CODES),
      message: Type.String(),
    }),
  ),
  changes: Type.Array(
    Type.Object({
      field: Type.Enum([...FIELD_KEYS, ...INPUT_LISTS]),
      column: Type.String(),
      header: Type.String(),
      from: orNull(Type.String()),
      to: orNull(Type.String()),
    }),
  ),
});
export type ImportRowJson = Static<typeof ImportRowSchema>;
export const ImportRowsSchema = Type.Object({ items: Type.Array(ImportRowSchema) });

export const ExportJobSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal("export"),
  status: JobStatusSchema,
  progress: ProgressSchema,
  createdAt: Type.String(),
  startedAt: orNull(Type.String()),
  finishedAt: orNull(Type.String()),
  error: FailureSchema,
  result: orNull(
    Type.Object({ count: Type.Integer(), leftOut: Type.Integer(), fileName: Type.String() }),
  ),
  links: ExportLinksSchema,
});
export type ExportJobJson = Static<typeof ExportJobSchema>;

/** The answer to a submitted job (202). */
export const SubmittedSchema = Type.Object({ id: Type.String() });
