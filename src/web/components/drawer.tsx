/** A side panel that is a real modal dialog: focus moves in, Escape closes, focus returns. */
import { type ReactNode, useEffect, useRef } from "react";
import { t } from "../messages.js";

export const Drawer = ({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) => {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`drawer${wide ? " wide" : ""}`}
      aria-labelledby="drawer-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="drawer-head">
        <h2 id="drawer-title">{title}</h2>
        <button type="button" className="button secondary" onClick={onClose}>
          {t.close}
        </button>
      </div>
      <div className="drawer-body">{children}</div>
    </dialog>
  );
};
