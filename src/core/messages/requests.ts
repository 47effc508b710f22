/**
 * What the core says when a request's input is wrong (the list's filters), in English and
 * French with the same details. The English is the published wording (API clients read it).
 */
import type { Text } from "./text.js";

export const FILTER = {
  country: { en: "Country", fr: "Pays" },
  status: { en: "Status", fr: "Statut" },
  tab: (tab: string, tabs: readonly string[]): Text => ({
    en: `Tab '${tab}' is not one of ${tabs.join(", ")}`,
    fr: `L'onglet '${tab}' n'est pas un de ${tabs.join(", ")}`,
  }),
  dealType: (type: string, types: readonly string[]): Text => ({
    en: `Deal type '${type}' is not one of ${types.join(", ")}`,
    fr: `Le type de transaction '${type}' n'est pas un de ${types.join(", ")}`,
  }),
  statusWord: (status: string): Text => ({
    en: `Status '${status}' is neither a status (New, Active, Closed) nor a substatus (Pending, Received, Accepted, Won, Lost, Declined, Expired, Error)`,
    fr: `Le statut '${status}' n'est ni un statut (New, Active, Closed) ni un sous-statut (Pending, Received, Accepted, Won, Lost, Declined, Expired, Error)`,
  }),
  searchTooShort: (search: string, min: number): Text => ({
    en: `Search '${search}' is too short: type ${min} characters or more`,
    fr: `La recherche '${search}' est trop courte : tapez ${min} caractères ou plus`,
  }),
} satisfies Record<string, Text | ((...args: never[]) => Text)>;
