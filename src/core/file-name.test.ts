/** File names from outside keep only their base name. */
import { describe, expect, it } from "vitest";
import { baseFileName } from "./file-name.js";

describe("baseFileName", () => {
  it.each([
    ["deals.csv", "deals.csv"],
    ["../../etc/passwd", "passwd"],
    ["..\\..\\Windows\\deals.csv", "deals.csv"],
    ["C:\\Users\\ana\\Données Q3.csv", "Données Q3.csv"],
    ["/tmp/", ""],
    ["..", ""],
    ["a/..", ""],
    ["bad\r\nname.csv", "badname.csv"],
    ["  spaced.csv  ", "spaced.csv"],
  ])("%j → %j", (input, expected) => {
    expect(baseFileName(input)).toBe(expected);
  });
});
