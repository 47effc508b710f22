/**
 * Import and export jobs as JSON, as TypeBox schemas: the server serialises and documents its
 * answers with them, and the web page and the CLI's remote mode check what they read with the
 * very same ones.
 */
import { type Static, Type } from "typebox";
import { FIELD_KEYS } from "../columns.js";
import { INPUT_LISTS } from "../deal-input.js";
import { ROW_ERROR_CODES } from "../errors.js";
import { ROW_RESULTS } from "../import/row-summary.js";
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
  /**
   * Only on an import that stopped early (failed, given up on, canceled): the counts are where
   * it stood, the rows it did not reach counted as not processed; its results file finishes it.
   */
  partial: Type.Optional(Type.Literal(true)),
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
  /** When the import was undone (null: it was not). */
  undoneAt: orNull(Type.String()),
  /** Cells corrected in the browser before the upload: the file imported is the corrected one. */
  correctedCells: Type.Array(
    Type.Object({
      row: Type.Integer(),
      column: Type.String(),
      from: Type.String(),
      to: Type.String(),
    }),
  ),
  links: ImportLinksSchema,
});
export type ImportJobJson = Static<typeof ImportJobSchema>;

export const ImportListSchema = Type.Object({
  items: Type.Array(ImportJobSchema),
  total: Type.Integer(),
});

/** One field's change as a row reports it: the column's header, old and new cell text. */
export const ChangeSchema = Type.Object({
  field: Type.Enum([...FIELD_KEYS, ...INPUT_LISTS]),
  column: Type.String(),
  header: Type.String(),
  from: orNull(Type.String()),
  to: orNull(Type.String()),
});

// Results, codes and fields are core's lists: a client of another version fails loudly.
export const ImportRowSchema = Type.Object({
  row: Type.Integer(),
  result: Type.Enum(ROW_RESULTS),
  referralId: orNull(Type.String()),
  engagementId: orNull(Type.String()),
  errors: Type.Array(
    Type.Object({
      column: Type.String(),
      code: Type.Enum(ROW_ERROR_CODES),
      message: Type.String(),
    }),
  ),
  changes: Type.Array(ChangeSchema),
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

/** What an undo did, or (a dry run) would do, deal by deal: the same keys as `cosell import undo --json`. */
export const UndoRowSchema = Type.Object({
  /** The row of the import undone. */
  row: Type.Integer(),
  referralId: Type.String(),
  action: Type.Union([Type.Literal("close"), Type.Literal("restore")]),
  result: Type.Union([Type.Literal("Undone"), Type.Literal("Not undone")]),
  reason: orNull(Type.String()),
  /**
   * Why not, as a code the page words in its language: changed since the import, gone or out
   * of scope, or refused by the rules (the reason then holds the rule's message).
   */
  reasonCode: Type.Optional(Type.Enum(["changed_since", "gone", "refused"])),
  changes: Type.Array(ChangeSchema),
});
export type UndoRowJson = Static<typeof UndoRowSchema>;

export const UndoSummarySchema = Type.Object({
  undoOf: Type.String(),
  dryRun: Type.Boolean(),
  /** The undo's own import record (null for a dry run, or when no deal was left to undo). */
  importId: orNull(Type.String()),
  total: Type.Integer(),
  undone: Type.Integer(),
  notUndone: Type.Integer(),
  rows: Type.Array(UndoRowSchema),
});
export type UndoSummaryJson = Static<typeof UndoSummarySchema>;

export const UndoJobSchema = Type.Object({
  id: Type.String(),
  kind: Type.Literal("undo"),
  status: JobStatusSchema,
  progress: ProgressSchema,
  undoOf: Type.String(),
  dryRun: Type.Boolean(),
  createdAt: Type.String(),
  startedAt: orNull(Type.String()),
  finishedAt: orNull(Type.String()),
  error: FailureSchema,
  /** Once it succeeded: what it did (or would do). */
  result: orNull(UndoSummarySchema),
  links: Type.Object({ self: Type.String(), import: Type.String() }),
});
export type UndoJobJson = Static<typeof UndoJobSchema>;

/** One applied undo in the history (`import_undos`): who, when, and what it did per deal. */
export const UndoRecordSchema = Type.Object({
  undoOf: Type.String(),
  importId: orNull(Type.String()),
  jobId: orNull(Type.String()),
  undoneBy: Type.String(),
  createdAt: Type.String(),
  undone: Type.Integer(),
  notUndone: Type.Integer(),
  rows: Type.Array(UndoRowSchema),
});
export type UndoRecordJson = Static<typeof UndoRecordSchema>;

export const UndoListSchema = Type.Object({
  items: Type.Array(UndoRecordSchema),
  total: Type.Integer(),
});

/** POST /api/imports (202): the job's id, status and links. */
export const ImportAcceptedSchema = Type.Object({
  id: Type.String(),
  status: JobStatusSchema,
  links: ImportLinksSchema,
});

/** POST /api/exports (202): the job's id, status and links. */
export const ExportAcceptedSchema = Type.Object({
  id: Type.String(),
  status: JobStatusSchema,
  links: ExportLinksSchema,
});
