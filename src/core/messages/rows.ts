/**
 * What the row rules (SPEC §4–§6) and the status table say when a row is not processed, in
 * English and French with the same details: the columns, the values, the pairs, the rows.
 * Keyed by the row error code each goes with; the English is the published wording.
 * Status pairs stay in English in both: they are Partner Center's values, as files carry them.
 */
import { formatCount, orListIn, type Text } from "./text.js";

type Owner = "partner" | "vendor" | "system";
const OWNER_FR: Record<Owner, string> = {
  partner: "partenaire",
  vendor: "fournisseur",
  system: "système",
};

type LockWhy = "onceYes" | "onceShared" | "onClosed" | "afterCreate";
const LOCK_WHY: Record<LockWhy, Text> = {
  onceYes: { en: "once it is Yes", fr: "une fois à Yes" },
  onceShared: {
    en: "once the deal is shared with Microsoft",
    fr: "une fois la transaction partagée avec Microsoft",
  },
  onClosed: { en: "on a closed deal", fr: "sur une transaction close" },
  afterCreate: { en: "after the deal is created", fr: "après la création de la transaction" },
};

export const ROW = {
  // required
  missing: (column: string): Text => ({
    en: `Mandatory field ${column} missing`,
    fr: `Champ obligatoire ${column} manquant`,
  }),
  // help_type_required, contact_required, help_type_not_allowed
  helpTypeRequired: (column: string, help: string, codes: string): Text => ({
    en: `${column} is required when ${help} is Yes: a number ${codes}`,
    fr: `${column} est obligatoire quand ${help} vaut Yes : un nombre ${codes}`,
  }),
  contactRequired: (column: string, help: string): Text => ({
    en: `${column} is required when ${help} is Yes`,
    fr: `${column} est obligatoire quand ${help} vaut Yes`,
  }),
  helpTypeNotAllowed: (column: string, help: string, helpType: number): Text => ({
    en: `${column} must be empty when ${help} is No (it is ${helpType}); clear it, or set ${help} to Yes`,
    fr: `${column} doit être vide quand ${help} vaut No (il vaut ${helpType}) : videz-le, ou mettez ${help} à Yes`,
  }),
  // too_many_team_members
  tooManyTeamMembers: (max: number, count: number): Text => ({
    en: `A deal has at most ${max} team members; this row has ${count}`,
    fr: `Une transaction a au plus ${max} membres d'équipe ; cette ligne en a ${count}`,
  }),
  // consent_required
  consentRequired: (column: string): Text => ({
    en: `${column} is No: cosell neither creates nor updates a deal without the customer's consent; set it to Yes once you have it`,
    fr: `${column} vaut No : sans le consentement du client, cosell ne crée ni ne met à jour la transaction ; mettez Yes quand vous l'avez`,
  }),
  // engagement_on_create, engagement_mismatch
  engagementOnCreate: (column: string, engagementId: string): Text => ({
    en: `${column} '${engagementId}' is set by the system: leave it empty for a new deal, or fill Referral ID too to update an existing deal`,
    fr: `${column} '${engagementId}' est posé par le système : laissez-le vide pour une nouvelle transaction, ou remplissez aussi l'ID de référence pour mettre à jour une transaction existante`,
  }),
  engagementMismatch: (column: string, engagementId: string, id: string, its: string): Text => ({
    en: `${column} '${engagementId}' does not belong to Referral ID '${id}' (its engagement is '${its}'); copy both from an export, or leave ${column} empty`,
    fr: `${column} '${engagementId}' n'appartient pas à l'ID de référence '${id}' (son engagement est '${its}') : copiez les deux depuis un export, ou laissez ${column} vide`,
  }),
  // invalid_create_status
  createStatusImport: (column: string, asked: string): Text => ({
    en: `${column}: a new deal starts as Active/Accepted (Partner Center's New/Accepted is taken as that), not ${asked}; create it first, then close it in a later upload`,
    fr: `${column} : une nouvelle transaction commence Active/Accepted (le New/Accepted de l'Espace partenaires est lu ainsi), pas ${asked} ; créez-la d'abord, puis clôturez-la dans un envoi suivant`,
  }),
  createStatusReceive: (column: string, asked: string): Text => ({
    en: `${column}: an inbound referral arrives as New/Received or New/Pending, not ${asked}`,
    fr: `${column} : une référence entrante arrive New/Received ou New/Pending, pas ${asked}`,
  }),
  // invalid_status (the vendor's Microsoft status)
  notMicrosoftStatus: (column: string, value: string, allowed: readonly string[]): Text => ({
    en: `${column} '${value}' is not one of ${allowed.join(", ")}`,
    fr: `${column} '${value}' n'est pas une des valeurs ${allowed.join(", ")}`,
  }),
  // reason_required
  reasonRequired: (column: string, to: string, codes: string): Text => ({
    en: `${column} is required to move the deal to ${to}: a number ${codes}`,
    fr: `${column} est obligatoire pour passer la transaction à ${to} : un nombre ${codes}`,
  }),
  // locked
  locked: (column: string, why: LockWhy, was: string): Text => ({
    en: `${column} cannot be changed ${LOCK_WHY[why].en} (it is '${was}'); put the current value back or leave the column out`,
    fr: `${column} ne peut plus changer ${LOCK_WHY[why].fr} (il vaut '${was}') : remettez la valeur actuelle ou retirez la colonne`,
  }),
  // stale_row
  stale: (column: string, exportedAt: string, changedAt: string): Text => ({
    en: `${column}: the deal changed since your export at ${exportedAt} (last change ${changedAt}); export again and redo this row's edits`,
    fr: `${column} : la transaction a changé depuis votre export du ${exportedAt} (dernière modification ${changedAt}) ; exportez à nouveau et refaites les modifications de cette ligne`,
  }),
  raceLost: {
    en: "The deal was changed by someone else while this file was being imported; upload the row again",
    fr: "Quelqu'un a modifié la transaction pendant l'import de ce fichier : envoyez la ligne à nouveau",
  },
  // terminal
  terminalRow: (pair: string, columns: readonly string[]): Text => ({
    en: `The deal is ${pair}, a terminal state: it accepts no change (this row changes ${columns.join(", ")})`,
    fr: `La transaction est ${pair}, un état final : elle n'accepte plus de modification (cette ligne change ${columns.join(", ")})`,
  }),
  /** A status move the table refuses, said of the column that asked for it. */
  ofColumn: (column: string, text: Text): Text => ({
    en: `${column}: ${text.en}`,
    fr: `${column} : ${text.fr}`,
  }),
  // duplicate_referral_in_file, not_found, crm_id_duplicate (file-level rules)
  referralTwice: (column: string, id: string, earlier: number): Text => ({
    en: `${column} '${id}' is already on row ${earlier} of this file; put all changes to one deal in one row`,
    fr: `${column} '${id}' figure déjà à la ligne ${earlier} de ce fichier : mettez toutes les modifications d'une transaction sur une seule ligne`,
  }),
  referralNotFound: (column: string, id: string): Text => ({
    en: `${column} '${id}' was not found among the deals you can see; check the ID, or empty the cell to create a new deal`,
    fr: `${column} '${id}' est introuvable parmi les transactions que vous voyez : vérifiez l'ID, ou videz la cellule pour créer une nouvelle transaction`,
  }),
  crmIdTwice: (column: string, crmId: string, earlier: number): Text => ({
    en: `${column} '${crmId}' is also on row ${earlier} of this file, which creates that deal; keep one row per deal`,
    fr: `${column} '${crmId}' figure aussi à la ligne ${earlier} de ce fichier, qui crée cette transaction : gardez une ligne par transaction`,
  }),
  crmIdOnMany: (column: string, crmId: string, count: number, ids: readonly string[]): Text => {
    const seen = ids.length > 0 ? ` (${ids.join(", ")})` : "";
    return {
      en: `${column} '${crmId}' already belongs to ${count} deals${seen}; put the Referral ID of the one to update in the row`,
      fr: `${column} '${crmId}' appartient déjà à ${formatCount(count, "fr")} transactions${seen} : mettez dans la ligne l'ID de référence de celle à mettre à jour`,
    };
  },
  crmIdUsed: (column: string, crmId: string, id: string | null, suggestUpsert: boolean): Text => ({
    en: `${column} '${crmId}' is already used${id ? ` by Referral ID '${id}'` : " by a deal of your organisation"}; to update that deal put its Referral ID in the row${suggestUpsert ? " (or import with the upsert-by-CRM-ID option)" : ""}, or give this deal another CRM ID`,
    fr: `${column} '${crmId}' est déjà pris${id ? ` par l'ID de référence '${id}'` : " par une transaction de votre organisation"} : pour mettre à jour cette transaction, mettez son ID de référence dans la ligne${suggestUpsert ? " (ou importez avec la mise à jour par ID CRM)" : ""}, ou donnez à cette transaction un autre ID CRM`,
  }),
};

/** What the status table says when a move is refused (lifecycle.ts). */
export const TRANSITION = {
  // invalid_status_pair
  pairMismatch: (substatus: string, status: string, allowed: readonly string[]): Text => ({
    en: `Partner Referral Substatus '${substatus}' does not go with Partner Referral Status '${status}' (allowed: ${allowed.join(", ")})`,
    fr: `Le sous-statut '${substatus}' ne va pas avec le statut '${status}' (permis : ${allowed.join(", ")})`,
  }),
  // terminal
  terminal: (pair: string): Text => ({
    en: `The deal is ${pair}, a terminal state: it accepts no change`,
    fr: `La transaction est ${pair}, un état final : elle n'accepte plus de modification`,
  }),
  // system_only_status
  systemOnly: (pair: string, owners: readonly Owner[]): Text => ({
    en: `${pair} is set by the ${owners.join(" or ")} only, not by a file or a person`,
    fr: `${pair} n'est posé que par le ${orListIn(
      "fr",
      owners.map((o) => OWNER_FR[o]),
    )}, jamais par un fichier ou une personne`,
  }),
  // invalid_transition
  notAllowed: (from: string, to: string, reachable: readonly string[]): Text => ({
    en: `A deal that is ${from} cannot move to ${to} (it may move to ${reachable.length > 0 ? reachable.join(", ") : "nothing"})`,
    fr: `Une transaction ${from} ne peut pas passer à ${to} (elle peut passer à ${reachable.length > 0 ? reachable.join(", ") : "rien"})`,
  }),
};

export type { LockWhy, Owner };
