/**
 * What each column of the template means, in English and French: the text of the workbook
 * template's second sheet. Kept beside the column catalogue's keys so that a new column
 * without its explanation does not compile.
 */
import { COLUMNS, type ColumnKey, type Lang, LIST_COLUMNS, type Lock } from "./columns.js";

type Guide = Readonly<Record<Lang, string>>;

const GUIDE: Readonly<Record<ColumnKey, Guide>> = {
  errors: {
    en: "Filled in by cosell in the results file; ignored on import.",
    fr: "Rempli par cosell dans le fichier de résultats ; ignoré à l'importation.",
  },
  engagementId: {
    en: "Set by the system. Optional on update; when given it must match the deal.",
    fr: "Défini par le système. Facultatif en mise à jour ; s'il est indiqué, il doit correspondre à la transaction.",
  },
  referralId: {
    en: "Set by the system. Empty: the row creates a deal. Filled: the row updates that deal.",
    fr: "Défini par le système. Vide : la ligne crée une transaction. Rempli : la ligne met à jour cette transaction.",
  },
  name: {
    en: "Free text, 1 to 100 characters.",
    fr: "Texte libre, de 1 à 100 caractères.",
  },
  customerName: {
    en: "The customer company's legal name.",
    fr: "La raison sociale de l'entreprise cliente.",
  },
  customerAddress1: { en: "Street address.", fr: "Adresse (rue)." },
  customerAddress2: { en: "Street address, continued.", fr: "Suite de l'adresse." },
  customerCity: { en: "City.", fr: "Ville." },
  customerState: { en: "State or region.", fr: "État ou région." },
  customerPostalCode: {
    en: "Kept as text: leading zeros matter.",
    fr: "Conservé comme texte : les zéros de tête comptent.",
  },
  customerCountry: {
    en: "ISO 3166-1 two-letter code, e.g. US, FR, DE (pick it from the list).",
    fr: "Code ISO 3166-1 à deux lettres, p. ex. US, FR, DE (à choisir dans la liste).",
  },
  customerDuns: {
    en: "Digits only, at most 9, kept as text (a spreadsheet drops leading zeros from numbers).",
    fr: "Chiffres uniquement, 9 au plus, conservés comme texte (un tableur supprime les zéros de tête des nombres).",
  },
  contactFirstName: {
    en: "Required when Microsoft help required? is Yes.",
    fr: "Obligatoire quand Aide Microsoft requise ? vaut Oui.",
  },
  contactLastName: {
    en: "Required when Microsoft help required? is Yes.",
    fr: "Obligatoire quand Aide Microsoft requise ? vaut Oui.",
  },
  contactPhone: {
    en: "Required when Microsoft help required? is Yes. Kept as text.",
    fr: "Obligatoire quand Aide Microsoft requise ? vaut Oui. Conservé comme texte.",
  },
  contactEmail: {
    en: "Required when Microsoft help required? is Yes; a valid email address.",
    fr: "Obligatoire quand Aide Microsoft requise ? vaut Oui ; une adresse e-mail valide.",
  },
  status: {
    en: "New, Active or Closed. Required on create and on update.",
    fr: "Nouveau, Actif ou Fermé. Obligatoire à la création et à la mise à jour.",
  },
  substatus: {
    en: "New: Pending or Received. Active: Accepted. Closed: Won, Lost, Declined, Expired or Error.",
    fr: "Nouveau : En attente ou Reçu. Actif : Accepté. Fermé : Gagné, Perdu, Refusé, Expiré ou Erreur.",
  },
  microsoftStatus: {
    en: "Read-only: set by Microsoft; whatever the file says is ignored.",
    fr: "Lecture seule : défini par Microsoft ; la valeur du fichier est ignorée.",
  },
  closeReason: {
    en: "Declined or Lost: 1 budget, 2 no response, 3 other vendor, 4 requirement not met, 5 not a customer, 6 time line too short, 7 abuse, 8 others. Error: 1 duplicate (bulk upload), 2 duplicate (elsewhere), 3 duplicate (vendor), 4 data sync, 5 customer matching, 6 solution, 7 test, 8 data error, 9 others.",
    fr: "Refusé ou Perdu : 1 budget, 2 pas de réponse, 3 autre fournisseur, 4 besoin non couvert, 5 pas un client, 6 délai trop court, 7 abus, 8 autres. Erreur : 1 doublon (import), 2 doublon (ailleurs), 3 doublon (fournisseur), 4 synchronisation, 5 rapprochement client, 6 solution, 7 test, 8 erreur de données, 9 autres.",
  },
  salesStage: {
    en: "10 Created/Accepted, 20 Qualified, 40 Developed, 60 Proposed, 80 Negotiated, 100 Won.",
    fr: "10 Créée/Acceptée, 20 Qualifiée, 40 Développée, 60 Proposée, 80 Négociée, 100 Gagnée.",
  },
  value: {
    en: "A number of zero or more, e.g. 12563.50.",
    fr: "Un nombre positif ou nul, p. ex. 12563.50.",
  },
  currency: {
    en: "ISO 4217 code, e.g. USD, EUR (pick it from the list).",
    fr: "Code ISO 4217, p. ex. USD, EUR (à choisir dans la liste).",
  },
  closeDate: {
    en: "MM/DD/YYYY as text, e.g. 01/30/2027 (YYYY-MM-DD is accepted too).",
    fr: "MM/JJ/AAAA comme texte, p. ex. 01/30/2027 (AAAA-MM-JJ est aussi accepté).",
  },
  crmId: {
    en: "The deal's id in your own CRM, kept as text.",
    fr: "L'identifiant de la transaction dans votre CRM, conservé comme texte.",
  },
  campaignId: { en: "Free text.", fr: "Texte libre." },
  notes: { en: "Free text.", fr: "Texte libre." },
  helpRequired: { en: "Yes or No.", fr: "Oui ou Non." },
  helpType: {
    en: "Required when help is Yes, empty when No: 1 value proposition, 2 technical architecture, 3 proof of concept, 4 quotes and licensing, 5 post-sales success, 6 general or other.",
    fr: "Obligatoire si l'aide vaut Oui, vide sinon : 1 proposition de valeur, 2 architecture technique, 3 preuve de concept, 4 devis et licences, 5 succès après-vente, 6 général ou autre.",
  },
  shareWithMicrosoft: {
    en: "Yes or No; forced to Yes when help is required.",
    fr: "Oui ou Non ; forcé à Oui quand l'aide est requise.",
  },
  notesToMicrosoft: { en: "Free text.", fr: "Texte libre." },
  consent: {
    en: "Must be Yes: a row with No is not processed.",
    fr: "Doit valoir Oui : une ligne avec Non n'est pas traitée.",
  },
  lastModified: {
    en: "Written by exports: an update of a deal changed since then is refused. Read-only.",
    fr: "Écrit par les exportations : la mise à jour d'une transaction modifiée depuis est refusée. Lecture seule.",
  },
  importResult: {
    en: "Filled in by cosell in the results file.",
    fr: "Rempli par cosell dans le fichier de résultats.",
  },
  version: {
    en: "Written by exports, after the numbered columns: the deal's version, a whole number. An update of a deal whose version has moved on since is refused, exactly. Read-only; optional.",
    fr: "Écrit par les exportations, après les colonnes numérotées : la version de la transaction, un nombre entier. La mise à jour d'une transaction dont la version a changé depuis est refusée, exactement. Lecture seule ; facultative.",
  },
};

const LOCKS: Readonly<Record<Lock, Guide>> = {
  system: { en: "Read-only", fr: "Lecture seule" },
  "after-create": { en: "Read-only after creation", fr: "Lecture seule après la création" },
  "once-shared": {
    en: "Read-only once shared with Microsoft",
    fr: "Lecture seule une fois partagé avec Microsoft",
  },
  "once-yes": {
    en: "Read-only once Yes (and shared)",
    fr: "Lecture seule une fois Oui (et partagé)",
  },
  "once-set": {
    en: "Read-only once set (and shared)",
    fr: "Lecture seule une fois renseigné (et partagé)",
  },
  editable: { en: "Editable until the deal is closed", fr: "Modifiable jusqu'à la clôture" },
};

const HEADINGS: Readonly<Record<Lang, readonly string[]>> = {
  en: ["Column", "Required for a new deal", "What it holds", "Changes"],
  fr: ["Colonne", "Obligatoire pour une nouvelle transaction", "Contenu", "Modifications"],
};

const YES_NO: Readonly<Record<Lang, readonly [string, string]>> = {
  en: ["Yes", "No"],
  fr: ["Oui", "Non"],
};

/** The guide as rows of text, headings first: one row per template column, then the numbered ones. */
export function columnGuideRows(lang: Lang): string[][] {
  const [yes, no] = YES_NO[lang];
  const rows = [[...HEADINGS[lang]]];
  for (const c of COLUMNS) {
    if (c.key === "importResult") continue;
    rows.push([c[lang], c.mandatory ? yes : no, GUIDE[c.key][lang], LOCKS[c.lock][lang]]);
  }
  rows.push([
    `${LIST_COLUMNS.solutions[lang]} 1 … 50`,
    lang === "en" ? "Yes (one)" : "Oui (une)",
    lang === "en"
      ? "SOLUTION-ID, CURRENCY, PRICE, QUANTITY in one cell, e.g. SOL-1234-PQRS, USD, 10, 100. Only the ID is required."
      : "ID-SOLUTION, DEVISE, PRIX, QUANTITÉ dans une cellule, p. ex. SOL-1234-PQRS, USD, 10, 100. Seul l'ID est obligatoire.",
    LOCKS.editable[lang],
  ]);
  rows.push([
    `${LIST_COLUMNS.team[lang]} 1 … 50`,
    lang === "en" ? "Yes (one)" : "Oui (un)",
    lang === "en"
      ? "FIRST, LAST, PHONE, EMAIL in one cell, e.g. Bob, Partner, 999999, bob.partner@contoso.com. The phone is optional."
      : "PRÉNOM, NOM, TÉLÉPHONE, E-MAIL dans une cellule, p. ex. Bob, Partner, 999999, bob.partner@contoso.com. Le téléphone est facultatif.",
    LOCKS.editable[lang],
  ]);
  return rows;
}
