import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEmail } from "./email.js";

const column = "Customer Contact Email Address";

describe("decodeEmail", () => {
  it.each([
    ["bob.partner@contoso.com", "bob.partner@contoso.com"],
    ["Bob.Partner@Contoso.COM", "Bob.Partner@Contoso.COM"],
    [" a+tag@mail.example.co.uk\u00a0", "a+tag@mail.example.co.uk"],
    ["o'brien@xn--bcher-kva.example", "o'brien@xn--bcher-kva.example"],
  ])("accepts %s", (raw, expected) => {
    expect(decodeEmail(raw, column)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["bob", "it has no @"],
    ["bob@contoso", "the part after the @ is not a domain"],
    ["bob@contoso.", "the part after the @ is not a domain"],
    ["bob@.com", "the part after the @ is not a domain"],
    ["bob@contoso..com", "the part after the @ is not a domain"],
    ["@contoso.com", "nothing comes before the @"],
    ["bob@@contoso.com", "it has more than one @; give one address"],
    ["a@x.com;b@x.com", "it contains a space or a character not allowed in an address"],
    ["bob @contoso.com", "it contains a space or a character not allowed in an address"],
    ["Bob <bob@contoso.com>", "it contains a space or a character not allowed in an address"],
    [`${"a".repeat(250)}@x.com`, "it is longer than 254 characters"],
  ])("refuses %s", (raw, problem) => {
    const result = decodeEmail(raw, column);
    expect(result).toMatchObject({ ok: false, code: "invalid_email" });
    if (!result.ok) {
      expect(result.message).toContain(`Customer Contact Email Address '${raw.slice(0, 10)}`);
      expect(result.message).toContain(`(${problem}); write it like name@example.com`);
    }
  });

  it("reads back plain addresses unchanged", () => {
    const label = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const address = fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9._%+-]{1,30}$/),
        label,
        fc.array(label, { minLength: 1, maxLength: 3 }),
      )
      .map(([local, first, rest]) => `${local}@${[first, ...rest].join(".")}`);
    fc.assert(
      fc.property(address, (email) => {
        expect(decodeEmail(email, column)).toEqual({ ok: true, value: email });
      }),
    );
  });
});
