/**
 * Export jobs live above the pages: a person may start an export and move on; the file
 * downloads by itself when the job ends, wherever they are in the app.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";
import { downloadResponse, getJson, request, sendJson } from "./api.js";
import { Accepted, ExportJob, parse } from "./api-types.js";
import { t } from "./messages.js";
import { currentLang, type Lang } from "./locale.js";
import { serverLimits } from "./server-limits.js";

export interface Notice {
  id: number;
  kind: "info" | "success" | "warning" | "error";
  text: string;
  /** The interface's language when it was written: its text does not follow a switch. */
  lang: Lang;
}

interface ExportsApi {
  startExport(body: Record<string, unknown>): Promise<void>;
  running: number;
  notices: Notice[];
  notify(kind: Notice["kind"], text: string): void;
  dismiss(id: number): void;
}

const Ctx = createContext<ExportsApi | null>(null);
const MAX_NOTICES = 3;
const SUCCESS_MS = 6000;

export const useExports = (): ExportsApi => {
  const api = useContext(Ctx);
  if (!api) throw new Error("useExports outside ExportsProvider");
  return api;
};

export const ExportsProvider = ({ children }: { children: ReactNode }) => {
  const [jobs, setJobs] = useState<string[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  const notify = useCallback(
    (kind: Notice["kind"], text: string) => {
      const id = nextId.current++;
      // One area, three deep at most: the oldest gives way.
      setNotices((n) => [...n, { id, kind, text, lang: currentLang() }].slice(-MAX_NOTICES));
      if (kind === "success" || kind === "info") setTimeout(() => dismiss(id), SUCCESS_MS);
    },
    [dismiss],
  );

  const startExport = useCallback(
    async (body: Record<string, unknown>) => {
      const accepted = parse(Accepted, await sendJson("/api/exports", "POST", body));
      setJobs((j) => [...j, accepted.id]);
      notify("info", t.exportStarted);
    },
    [notify],
  );

  useEffect(() => {
    if (jobs.length === 0) return;
    const timer = setInterval(async () => {
      for (const id of jobs) {
        try {
          const job = parse(ExportJob, await getJson(`/api/exports/${id}`));
          if (job.status === "succeeded" && job.result) {
            setJobs((j) => j.filter((x) => x !== id));
            await downloadResponse(await request(`/api/exports/${id}/file`), job.result.fileName);
            if (job.result.leftOut > 0) {
              const { exportRecords } = await serverLimits();
              notify(
                "warning",
                `${t.exportReady(job.result.count)} ${t.exportLeftOut(job.result.leftOut, exportRecords)}`,
              );
            } else notify("success", t.exportReady(job.result.count));
          } else if (job.status === "failed" || job.status === "canceled") {
            setJobs((j) => j.filter((x) => x !== id));
            notify("error", `${t.exportFailed}: ${job.error?.message ?? job.status}`);
          }
        } catch (error) {
          setJobs((j) => j.filter((x) => x !== id));
          notify(
            "error",
            `${t.exportFailed}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    }, 400);
    return () => clearInterval(timer);
  }, [jobs, notify]);

  return (
    <Ctx.Provider value={{ startExport, running: jobs.length, notices, notify, dismiss }}>
      {children}
    </Ctx.Provider>
  );
};

/**
 * A passing notice (success, info) written before the person switched language is not shown
 * in the other one; warnings and errors stay, in the words they were written in.
 */
const showsIn = (n: Notice, lang: Lang): boolean =>
  n.lang === lang || n.kind === "warning" || n.kind === "error";

export const Notices = () => {
  const { notices, dismiss } = useExports();
  const lang = currentLang();
  return (
    <div className="notices" aria-live="polite">
      {notices
        .filter((n) => showsIn(n, lang))
        .map((n) => (
          <div
            key={n.id}
            className={`notice notice-${n.kind}`}
            role={n.kind === "error" || n.kind === "warning" ? "alert" : "status"}
          >
            <span>
              {n.kind === "warning" && <strong>{t.warning}: </strong>}
              {n.text}
            </span>
            <button
              type="button"
              className="link"
              onClick={() => dismiss(n.id)}
              aria-label={t.close}
            >
              ×
            </button>
          </div>
        ))}
    </div>
  );
};
