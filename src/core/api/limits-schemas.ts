/**
 * The limits a server applies, as JSON (`/api/limits`, `/api/health`): the page checks a file
 * in the browser against the server's own values, not the defaults it was built with.
 */
import { type Static, Type } from "typebox";

export const LimitsSchema = Type.Object({
  importRows: Type.Integer({ minimum: 1 }),
  exportRecords: Type.Integer({ minimum: 1 }),
  solutionsPerDeal: Type.Integer({ minimum: 1 }),
  teamMembersPerDeal: Type.Integer({ minimum: 1 }),
  uploadBytes: Type.Integer({ minimum: 1 }),
  cellChars: Type.Integer({ minimum: 1 }),
});
export type LimitsJson = Static<typeof LimitsSchema>;
