/**
 * One French sentence per error code: what the French page shows for a message that is not yet
 * in the catalogue (the server's commands mostly), since the catalogue's own entries carry their
 * French with every detail. Keyed by the stable codes (errors.ts and the HTTP edge's).
 */
import type { FileErrorCode, RequestErrorCode, RowErrorCode } from "../errors.js";

/** Codes only the HTTP edge uses, beside the core's. */
type HttpOnlyCode =
  | "precondition_failed"
  | "precondition_required"
  | "rate_limited"
  | "csrf_failed"
  | "file_too_large"
  | "internal"
  | "invalid_row"
  | "unreachable";

export const ERROR_MESSAGES_FR: Record<
  RowErrorCode | FileErrorCode | RequestErrorCode | HttpOnlyCode,
  string
> = {
  required: "Champ obligatoire vide ou colonne absente : remplissez-le.",
  too_long: "Texte trop long : raccourcissez-le.",
  invalid_yes_no: "Valeur attendue : Yes ou No.",
  invalid_status: "Statut inconnu : utilisez un statut de l'Espace partenaires.",
  invalid_substatus: "Sous-statut inconnu : utilisez un sous-statut de l'Espace partenaires.",
  invalid_date: "Date illisible : écrivez-la au format MM/JJ/AAAA.",
  invalid_timestamp: "Horodatage illisible : gardez celui de l'export.",
  invalid_number: "Nombre illisible : écrivez un nombre sans unité.",
  negative_number: "Nombre négatif : saisissez 0 ou plus.",
  invalid_code: "Code hors de sa liste : choisissez un des codes proposés.",
  invalid_country: "Pays inconnu : utilisez un code ISO à deux lettres (US, FR…).",
  invalid_currency: "Devise inconnue : utilisez un code ISO à trois lettres (USD, EUR…).",
  invalid_duns: "Numéro D-U-N-S invalide : 9 chiffres.",
  duns_scientific_notation:
    "Le tableur a écrit le numéro D-U-N-S en notation scientifique : formatez la colonne en Texte et ressaisissez-le.",
  spreadsheet_scientific_notation:
    "Le tableur a écrit ce numéro en notation scientifique : formatez la colonne en Texte et ressaisissez-le.",
  postal_code_lost_leading_zero:
    "Le code postal a perdu son zéro initial : formatez la colonne en Texte et ressaisissez-le.",
  invalid_email: "Adresse e-mail invalide.",
  invalid_solution: "Solution illisible : ID, devise, prix, quantité.",
  invalid_team_member: "Membre de l'équipe illisible : prénom, nom, téléphone, e-mail.",
  too_many_solutions: "Trop de solutions pour une transaction.",
  too_many_team_members: "Trop de membres d'équipe pour une transaction.",
  consent_required:
    "Sans le consentement du client, cosell ne crée ni ne met à jour la transaction : mettez Yes quand vous l'avez.",
  help_type_required: "Le type d'aide est obligatoire quand une aide de Microsoft est demandée.",
  help_type_not_allowed: "Un type d'aide n'a de sens que si une aide de Microsoft est demandée.",
  contact_required: "Le contact client est obligatoire quand une aide de Microsoft est demandée.",
  invalid_status_pair: "Ce sous-statut n'appartient pas à ce statut.",
  invalid_create_status: "Une nouvelle transaction commence Active · Accepted.",
  invalid_transition: "Ce changement de statut n'est pas permis depuis le statut actuel.",
  reason_required: "Ce changement de statut demande un motif.",
  system_only_status: "Ce statut est posé par le système, jamais par un fichier.",
  not_found: "Introuvable : vérifiez l'identifiant.",
  engagement_mismatch: "L'ID d'engagement ne correspond pas à cette transaction.",
  engagement_on_create:
    "Une nouvelle transaction n'a pas encore d'ID d'engagement : videz la cellule.",
  terminal: "Cette transaction est close : elle n'accepte plus de modification.",
  locked: "Ce champ est verrouillé pour cette transaction.",
  crm_id_duplicate:
    "Cet ID CRM est déjà celui d'une transaction : donnez son ID de référence, ou cochez la mise à jour par ID CRM.",
  stale_row:
    "La transaction a changé depuis votre export : exportez-la à nouveau et refaites la modification.",
  duplicate_referral_in_file: "Cet ID de référence apparaît deux fois dans le fichier.",
  not_reached:
    "Non traitée : l'import s'est arrêté avant cette ligne. Importez à nouveau le fichier de résultats pour la traiter.",
  empty_file: "Le fichier est vide.",
  unreadable_file: "Le fichier est illisible : enregistrez-le en CSV (UTF-8) ou en .xlsx.",
  file_too_large: "Le fichier est trop gros : découpez-le en fichiers plus petits.",
  too_many_rows: "Trop de lignes pour un seul import : découpez le fichier.",
  no_header: "Le fichier n'a pas de ligne d'en-têtes : partez du modèle.",
  duplicate_header: "Une colonne apparaît deux fois : gardez-en une.",
  too_many_columns: "Trop de colonnes : partez du modèle.",
  line_too_long:
    "Une ligne est bien plus longue que ses colonnes ne le permettent : un saut de ligne manque, ou ce n'est pas un fichier CSV.",
  invalid_argument: "Demande invalide : vérifiez les valeurs saisies.",
  already_exists: "Existe déjà.",
  unauthenticated: "Connectez-vous, ou envoyez un jeton d'API.",
  forbidden: "Vous n'avez pas le droit de faire cela.",
  conflict: "Conflit avec l'état actuel : rechargez et réessayez.",
  precondition_failed:
    "Quelqu'un a modifié cette transaction entre-temps : rechargez-la et refaites la modification.",
  precondition_required: "La version lue manque (If-Match) : rechargez la transaction.",
  rate_limited: "Trop de tentatives : patientez un moment, puis réessayez.",
  csrf_failed: "La page a expiré : rechargez-la, puis recommencez.",
  internal: "Erreur interne du serveur : réessayez ; si cela persiste, prévenez l'administrateur.",
  invalid_row: "La transaction n'a pas été enregistrée : corrigez les champs signalés.",
  unreachable:
    "Impossible de joindre cosell : le serveur ne répond pas. Vérifiez votre connexion, puis réessayez.",
};

/** The French sentence for a code, if the catalogue has one. */
export function frenchErrorOf(code: string): string | undefined {
  return Object.entries(ERROR_MESSAGES_FR).find(([k]) => k === code)?.[1];
}
