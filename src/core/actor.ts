/**
 * Who is acting, and what they may see (SPEC §1): a Referrals admin sees every deal of
 * their organisation; a Referrals user only deals whose team has their email.
 */
import type { Deal, TeamMember } from "./deal.js";

/** The roles of SPEC §1, in the order the pages and the CLI list them. */
export const ROLES = ["admin", "user"] as const;
export type Role = (typeof ROLES)[number];

export interface UserActor {
  kind: "user";
  userId: string;
  orgId: string;
  /** Lower case. */
  email: string;
  name: string | null;
  role: Role;
}

/** The vendor side: sends inbound referrals to an organisation and owns the Microsoft status. */
export interface VendorActor {
  kind: "vendor";
  orgId: string;
}

export const canSee = (actor: UserActor, deal: Deal): boolean =>
  actor.role === "admin" || deal.team.some((m) => m.email.toLowerCase() === actor.email);

/** The team entry that keeps a Referrals user on the deals they create or edit. */
export const requiredMember = (actor: UserActor): TeamMember | null => {
  if (actor.role === "admin") return null;
  const [first, ...rest] = (actor.name ?? "").trim().split(/\s+/);
  const local = actor.email.split("@")[0] ?? actor.email;
  return {
    firstName: first || local,
    lastName: rest.join(" ") || "-",
    phone: null,
    email: actor.email,
  };
};
