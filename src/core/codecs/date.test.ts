import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCloseDate, decodeTimestamp, encodeCloseDate, encodeTimestamp } from "./date.js";

const column = "Estimated Close Date";
const failure = (message: string, code = "invalid_date") => ({
  ok: false,
  code,
  message,
  fr: expect.any(String),
});

describe("decodeCloseDate", () => {
  it.each([
    ["1/30/2027", "2027-01-30"],
    ["01/30/2027", "2027-01-30"],
    ["5/2/2027", "2027-05-02"],
    ["2/29/2028", "2028-02-29"],
    ["2027-01-30", "2027-01-30"],
    ["2027-1-3", "2027-01-03"],
    ["2027-01-30T00:00:00", "2027-01-30"],
    ["2027-01-30T00:00:00Z", "2027-01-30"],
    ["2027-01-30T00:00:00.000+00:00", "2027-01-30"],
    ["2027-01-30 00:00:00", "2027-01-30"],
    ["1/30/2027 0:00", "2027-01-30"],
    ["1/30/2027 12:00:00 AM", "2027-01-30"],
    ["\u00a01/30/2027 ", "2027-01-30"],
  ])("reads %s as %s", (raw, expected) => {
    expect(decodeCloseDate(raw, column)).toEqual({ ok: true, value: expected });
  });

  it("suggests the swapped form for a day-first date", () => {
    expect(decodeCloseDate("30/01/2027", column)).toEqual(
      failure(
        "Estimated Close Date '30/01/2027' is not a date in MM/DD/YYYY format (did you mean 01/30/2027?)",
      ),
    );
  });

  it("refuses dates that are not on the calendar", () => {
    expect(decodeCloseDate("2/30/2027", column)).toEqual(
      failure("Estimated Close Date '2/30/2027' is not a real date (February 2027 has 28 days)"),
    );
    expect(decodeCloseDate("2/29/2027", column)).toMatchObject({ ok: false });
    expect(decodeCloseDate("2027-02-30", column)).toEqual(
      failure("Estimated Close Date '2027-02-30' is not a real date (February 2027 has 28 days)"),
    );
    expect(decodeCloseDate("2027-13-01", column)).toEqual(
      failure("Estimated Close Date '2027-13-01' is not a real date (there is no month 13)"),
    );
    expect(decodeCloseDate("13/13/2027", column)).toEqual(
      failure(
        "Estimated Close Date '13/13/2027' is not a date in MM/DD/YYYY format, e.g. 01/30/2027",
      ),
    );
  });

  it("refuses two-digit years with a hint", () => {
    expect(decodeCloseDate("1/30/27", column)).toEqual(
      failure(
        "Estimated Close Date '1/30/27' has a two-digit year; write the year in full (did you mean 01/30/2027?)",
      ),
    );
  });

  it("refuses other separators, suggesting only when one reading is possible", () => {
    expect(decodeCloseDate("30.01.2027", column)).toEqual(
      failure(
        "Estimated Close Date '30.01.2027' is not a date in MM/DD/YYYY format (did you mean 01/30/2027?)",
      ),
    );
    expect(decodeCloseDate("1-30-2027", column)).toMatchObject({
      message: expect.stringContaining("(did you mean 01/30/2027?)"),
      fr: expect.any(String),
    });
    expect(decodeCloseDate("05.02.2027", column)).toEqual(
      failure(
        "Estimated Close Date '05.02.2027' is not a date in MM/DD/YYYY format, e.g. 01/30/2027",
      ),
    );
  });

  it("refuses a time of day other than midnight", () => {
    expect(decodeCloseDate("2027-01-30T10:00:00Z", column)).toEqual(
      failure(
        "Estimated Close Date '2027-01-30T10:00:00Z' has a time of day; give only the date, e.g. 01/30/2027",
      ),
    );
    expect(decodeCloseDate("2027-01-30T00:00:00+02:00", column)).toMatchObject({ ok: false });
  });

  it("refuses text", () => {
    expect(decodeCloseDate("next week", column)).toEqual(
      failure(
        "Estimated Close Date 'next week' is not a date in MM/DD/YYYY format, e.g. 01/30/2027",
      ),
    );
    expect(decodeCloseDate("1/30/20271", column)).toMatchObject({
      ok: false,
      code: "invalid_date",
    });
  });
});

/** Calendar dates in the four-digit years a file can carry. */
const calendarDate = fc
  .date({
    min: new Date("0001-01-01T00:00:00Z"),
    max: new Date("9999-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

describe("encodeCloseDate", () => {
  it("writes MM/DD/YYYY", () => {
    expect(encodeCloseDate("2027-05-02")).toBe("05/02/2027");
  });

  it("is the inverse of decodeCloseDate", () => {
    fc.assert(
      fc.property(calendarDate, (date) => {
        expect(decodeCloseDate(encodeCloseDate(date), column)).toEqual({ ok: true, value: date });
      }),
    );
  });

  it("refuses what is not a stored date", () => {
    expect(() => encodeCloseDate("05/02/2027")).toThrow(RangeError);
  });
});

describe("decodeTimestamp", () => {
  const lastModified = "Last Modified";

  it.each([
    ["2026-11-24T10:00:00Z", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T10:00:00.123Z", "2026-11-24T10:00:00.123Z", 1],
    ["2026-11-24T10:00:00.1Z", "2026-11-24T10:00:00.100Z", 100],
    ["2026-11-24T10:00:00.123456Z", "2026-11-24T10:00:00.123Z", 1],
    ["2026-11-24T10:00Z", "2026-11-24T10:00:00.000Z", 60_000],
    ["2026-11-24t10:00:00z", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24 10:00:00Z", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T11:00:00+01:00", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T05:30:00-0430", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T12:00:00+02", "2026-11-24T10:00:00.000Z", 1000],
    ["2026-11-24T00:30:00+05:30", "2026-11-23T19:00:00.000Z", 1000],
    ["11/24/2026 10:00", "2026-11-24T10:00:00.000Z", 60_000],
    ["11/24/2026 10:00:05", "2026-11-24T10:00:05.000Z", 1000],
    ["1/2/2026 9:05", "2026-01-02T09:05:00.000Z", 60_000],
    ["11/24/2026 10:00 PM", "2026-11-24T22:00:00.000Z", 60_000],
    ["11/24/2026 12:00 AM", "2026-11-24T00:00:00.000Z", 60_000],
    [" 2026-11-24T10:00:00Z\u00a0", "2026-11-24T10:00:00.000Z", 1000],
  ])("reads %s", (raw, iso, precisionMs) => {
    expect(decodeTimestamp(raw, lastModified)).toEqual({ ok: true, value: { iso, precisionMs } });
  });

  it("refuses a time without a zone", () => {
    expect(decodeTimestamp("2026-11-24T10:00:00", lastModified)).toEqual(
      failure(
        "Last Modified '2026-11-24T10:00:00' has no time zone; add Z for UTC, e.g. 2026-11-24T10:00:00Z",
        "invalid_timestamp",
      ),
    );
  });

  it("refuses impossible dates and times", () => {
    for (const raw of [
      "2026-02-30T10:00:00Z",
      "2026-11-24T24:00:00Z",
      "2026-11-24T10:60:00Z",
      "2026-11-24T10:00:60Z",
      "2026-11-24T10:00:00+24:00",
      "11/24/2026 25:00",
      "11/24/2026 13:00 PM",
      "0000-01-01T00:00:00+01:00",
    ]) {
      expect(decodeTimestamp(raw, lastModified)).toMatchObject({
        ok: false,
        code: "invalid_timestamp",
        message: expect.stringContaining(`Last Modified '${raw}'`),
        fr: expect.any(String),
      });
    }
  });

  it("suggests the month-first form of a day-first Excel time", () => {
    expect(decodeTimestamp("24/11/2026 10:00", lastModified)).toEqual(
      failure(
        "Last Modified '24/11/2026 10:00' is not a date and time in M/D/YYYY H:mm form (did you mean 11/24/2026 10:00?)",
        "invalid_timestamp",
      ),
    );
  });

  it("refuses two-digit years and text", () => {
    expect(decodeTimestamp("11/24/26 10:00", lastModified)).toMatchObject({
      ok: false,
      message: expect.stringContaining("two-digit year"),
      fr: expect.any(String),
    });
    expect(decodeTimestamp("yesterday", lastModified)).toEqual(
      failure(
        "Last Modified 'yesterday' is not a date and time; keep the exported value (e.g. 2026-11-24T10:00:00Z) or clear the cell to skip the check",
        "invalid_timestamp",
      ),
    );
  });
});

describe("encodeTimestamp", () => {
  it("writes ISO 8601 UTC to the second", () => {
    expect(encodeTimestamp("2026-11-24T10:00:00.000Z")).toBe("2026-11-24T10:00:00Z");
    expect(encodeTimestamp("2026-11-24T10:00:00.999Z")).toBe("2026-11-24T10:00:00Z");
    expect(encodeTimestamp("2026-11-24T11:00:00+01:00")).toBe("2026-11-24T10:00:00Z");
  });

  it("refuses what is not a timestamp", () => {
    expect(() => encodeTimestamp("soon")).toThrow(RangeError);
  });

  it("decodes back to the same instant, to the second", () => {
    const instant = fc
      .date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString());
    fc.assert(
      fc.property(instant, (iso) => {
        expect(decodeTimestamp(encodeTimestamp(iso), "Last Modified")).toEqual({
          ok: true,
          value: { iso, precisionMs: 1000 },
        });
      }),
    );
  });
});
