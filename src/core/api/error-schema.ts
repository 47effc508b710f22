/**
 * The one error body every route answers with (`{"error": {"code", "message", "details"?}}`),
 * as a TypeBox schema with its type derived: the server's error mapper writes it and OpenAPI
 * documents it, the CLI's remote mode and the tests read it with the very same one.
 */
import { type Static, Type } from "typebox";

export const ApiErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
export type ApiErrorJson = Static<typeof ApiErrorSchema>;
