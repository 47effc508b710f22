import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTeamMember, encodeTeamMember } from "./team-member.js";

const column = "Team member 1";
const SHAPE =
  "Expected FIRST, LAST, PHONE, EMAIL, e.g. Bob, Partner, 999999, bob.partner@contoso.com";

describe("decodeTeamMember", () => {
  it.each([
    [
      "Bob, Partner, 999999, bob.partner@contoso.com",
      { firstName: "Bob", lastName: "Partner", phone: "999999", email: "bob.partner@contoso.com" },
    ],
    [
      "Bob, Partner, , bob@contoso.com",
      { firstName: "Bob", lastName: "Partner", phone: null, email: "bob@contoso.com" },
    ],
    [
      "Bob, Partner, bob@contoso.com",
      { firstName: "Bob", lastName: "Partner", phone: null, email: "bob@contoso.com" },
    ],
    [
      " Anne-Marie ,\u00a0Dupont,+33 1 23 45 67 89,AM.Dupont@Contoso.fr ",
      {
        firstName: "Anne-Marie",
        lastName: "Dupont",
        phone: "+33 1 23 45 67 89",
        email: "AM.Dupont@Contoso.fr",
      },
    ],
  ])("reads %s", (raw, expected) => {
    expect(decodeTeamMember(raw, column)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["Bob, Partner", "it has 2 parts, not 3 or 4"],
    ["Bob", "it has 1 part, not 3 or 4"],
    ["Bob, Partner, 1, bob@x.com, extra", "it has 5 parts, not 3 or 4"],
    ["Bob, Partner, 999999", "the email is missing"],
    ["Bob, Partner, 999999, ", "the email is missing"],
    [", Partner, 999999, bob@x.com", "the first name is missing"],
    ["Bob, , 999999, bob@x.com", "the last name is missing"],
    [
      "Bob, Partner, 999999, bob@contoso",
      "the email 'bob@contoso' is not an email address (the part after the @ is not a domain); write it like name@example.com",
    ],
  ])("refuses %s", (raw, problem) => {
    expect(decodeTeamMember(raw, column)).toEqual({
      ok: false,
      code: "invalid_team_member",
      message: `Team member 1 '${raw.trim()}': ${problem}. ${SHAPE}`,
      fr: expect.any(String),
    });
  });
});

describe("encodeTeamMember", () => {
  it("writes four parts, the phone empty when missing", () => {
    expect(
      encodeTeamMember({
        firstName: "Bob",
        lastName: "Partner",
        phone: "999999",
        email: "bob@x.com",
      }),
    ).toBe("Bob, Partner, 999999, bob@x.com");
    expect(
      encodeTeamMember({ firstName: "Bob", lastName: "Partner", phone: null, email: "bob@x.com" }),
    ).toBe("Bob, Partner, , bob@x.com");
  });

  it("is the inverse of decodeTeamMember", () => {
    const name = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,20}[A-Za-zÀ-ÿ]$/);
    const member = fc.record({
      firstName: name,
      lastName: name,
      phone: fc.option(fc.stringMatching(/^\+?\d[\d ()-]{2,18}\d$/)),
      email: fc
        .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,15}$/))
        .map(([local, domain]) => `${local}@${domain}.com`),
    });
    fc.assert(
      fc.property(member, (value) => {
        expect(decodeTeamMember(encodeTeamMember(value), column)).toEqual({ ok: true, value });
      }),
    );
  });
});
