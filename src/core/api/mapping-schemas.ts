/**
 * Column mapping as JSON: a mapping, a saved preset, and the preview of a file's columns the
 * import panel's mapping step reads (served by `POST /api/imports/preview`).
 */
import { type Static, Type } from "typebox";
import { orNull } from "./deal-schemas.js";

/** File header → co-sell header, or null to ignore the column. */
export const MappingSchema = Type.Record(Type.String(), orNull(Type.String()));

export const PresetSchema = Type.Object({
  name: Type.String(),
  mapping: MappingSchema,
  createdBy: Type.String(),
  updatedAt: Type.String(),
});
export type PresetJson = Static<typeof PresetSchema>;

export const PreviewSchema = Type.Object({
  columns: Type.Array(
    Type.Object({
      index: Type.Integer(),
      header: Type.String(),
      samples: Type.Array(Type.String()),
      /** The best guess (English header), or null: ignore. */
      target: orNull(Type.String()),
      /** Where the guess comes from: template, dictionary, similar, none, or preset. */
      source: Type.String(),
    }),
  ),
  preset: orNull(Type.Object({ name: Type.String(), mapping: MappingSchema })),
});
export type PreviewJson = Static<typeof PreviewSchema>;
