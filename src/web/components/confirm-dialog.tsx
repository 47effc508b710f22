/**
 * An in-page confirmation in place of the browser's `confirm()`: a modal dialog labelled by its
 * question and described by its consequence; focus starts on the safe choice (Cancel), Tab stays
 * inside, Escape cancels, and focus returns to the button that asked. `useConfirm` gives a page
 * an `ask` that resolves to the person's answer, and the dialog to render.
 */
import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { t } from "../messages.js";

export interface Question {
  title: string;
  /** What happens if the person says yes. */
  consequence: string;
  /** The yes button's words: the action itself ("Deactivate"), never just "OK". */
  action: string;
}

type Asked = Question & { answer: (yes: boolean) => void };

export function useConfirm(): { ask: (q: Question) => Promise<boolean>; dialog: ReactNode } {
  const [asked, setAsked] = useState<Asked | null>(null);
  const ask = useCallback(
    (q: Question) =>
      new Promise<boolean>((resolve) =>
        setAsked({
          ...q,
          answer: (yes) => {
            setAsked(null);
            resolve(yes);
          },
        }),
      ),
    [],
  );
  return { ask, dialog: asked ? <ConfirmDialog {...asked} /> : null };
}

const ConfirmDialog = ({ title, consequence, action, answer }: Asked) => {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    cancel.current?.focus();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  // showModal makes the page inert; this keeps Tab from leaving for the browser's own bar too.
  const trapTab = (e: KeyboardEvent) => {
    if (e.key !== "Tab") return;
    const [first, last] = [cancel.current, yes.current];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  };
  return (
    <dialog
      ref={ref}
      className="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onKeyDown={trapTab}
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-text`}>{consequence}</p>
      <div className="confirm-actions">
        <button
          ref={cancel}
          type="button"
          className="button secondary"
          onClick={() => answer(false)}
        >
          {t.cancel}
        </button>
        <button
          ref={yes}
          type="button"
          className="button primary-danger"
          onClick={() => answer(true)}
        >
          {action}
        </button>
      </div>
    </dialog>
  );
};
