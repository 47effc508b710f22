/**
 * What the server says about a person's jobs (imports, exports, syncs) and their files, in
 * English and French. The English is the published wording (the CLI prints it).
 */
import type { JobKind, JobStatus } from "../jobs.js";
import type { Text } from "./text.js";

const KIND_FR: Record<JobKind, string> = {
  import: "l'import",
  export: "l'export",
  sync: "la synchronisation",
  undo: "l'annulation de l'import",
};
const ENDED_FR: Record<JobStatus, string> = {
  queued: "attend son tour",
  running: "est en cours",
  succeeded: "a réussi",
  failed: "a échoué",
  canceled: "a été annulé",
};
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const JOB = {
  noSuch: (kind: JobKind): Text => ({
    en: `No such ${kind}`,
    fr: `${capital(KIND_FR[kind])} est introuvable`,
  }),
  notQueued: (kind: JobKind, status: JobStatus): Text => ({
    en: `The ${kind} has ${status === "running" ? "already started" : `already ended (${status})`}; only a queued ${kind} can be canceled`,
    fr: `${capital(KIND_FR[kind])} ${status === "running" ? "a déjà commencé" : `est déjà fini (${ENDED_FR[status]})`} : on n'annule que ce qui attend son tour`,
  }),
  noSuchImport: { en: "No such import", fr: "Cet import est introuvable" },
  importNotEnded: (status: "queued" | "running"): Text => ({
    en: `The import is ${status === "queued" ? "waiting its turn" : "still running"}; its results file is ready when it ends`,
    fr: `L'import ${status === "queued" ? "attend son tour" : "est encore en cours"} : son fichier de résultats sera prêt à la fin`,
  }),
  importHasNoResults: (status: JobStatus): Text => ({
    en: `The import ${status}: it has no results file`,
    fr: `L'import ${ENDED_FR[status]} : il n'a pas de fichier de résultats`,
  }),
  resultsRemoved: {
    en: "The results file was removed after the retention period; import the file again (rows already applied come back Unchanged)",
    fr: "Le fichier de résultats a été supprimé après sa durée de conservation : importez le fichier à nouveau (les lignes déjà appliquées reviennent Unchanged)",
  },
  exportNotReady: {
    en: "The export is not ready yet; try again in a moment",
    fr: "L'export n'est pas encore prêt : réessayez dans un moment",
  },
  exportHasNoFile: (status: JobStatus): Text => ({
    en: `The export ${status}: it has no file`,
    fr: `L'export ${ENDED_FR[status]} : il n'a pas de fichier`,
  }),
  exportRemoved: {
    en: "The exported file was removed after the retention period; export again",
    fr: "Le fichier exporté a été supprimé après sa durée de conservation : exportez à nouveau",
  },
};
