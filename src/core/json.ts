/** Reading JSON we did not type ourselves: check its shape instead of trusting it. */

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON object in `text`, or an empty object when it is missing or not an object. */
export const parseJsonObject = (text: string | null): Record<string, unknown> => {
  const value: unknown = text ? JSON.parse(text) : null;
  return isRecord(value) ? value : {};
};
