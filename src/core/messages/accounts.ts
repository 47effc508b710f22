/**
 * What the server says to a person managing accounts and tokens (sign-in, users, API tokens),
 * in English and French. The English is the published wording (the CLI prints it).
 */
import type { Text } from "./text.js";

export const ACCOUNT = {
  emailLabel: { en: "Email", fr: "E-mail" },
  /** The one refusal for an address already in use, wherever it is (docs/SECURITY.md). */
  emailInUse: (email: string): Text => ({
    en: `The email '${email}' is already in use and cannot be given to a new user; use another address`,
    fr: `L'adresse '${email}' est déjà utilisée et ne peut pas être donnée à une nouvelle personne : prenez-en une autre`,
  }),
  wrongPassword: {
    en: "Email or password is not right",
    fr: "L'e-mail ou le mot de passe n'est pas le bon",
  },
  noSuchUser: {
    en: "No such user in your organisation",
    fr: "Cette personne n'est pas dans votre organisation",
  },
  noSuchToken: { en: "No such token", fr: "Ce jeton n'existe pas" },
  notYourself: {
    en: "You cannot deactivate yourself or take away your own admin role; ask another Referrals admin",
    fr: "Vous ne pouvez ni vous désactiver ni vous retirer le rôle d'administrateur : demandez-le à un autre administrateur des références",
  },
} satisfies Record<string, Text | ((...args: never[]) => Text)>;
