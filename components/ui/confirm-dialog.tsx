"use client";
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A modal confirmation on the native <dialog>: focus moves into it and is kept there, Esc cancels,
 * and focus returns to the opener when it closes.
 */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  cancelLabel,
  pending,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  body: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  pending?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      className="m-auto w-full max-w-md rounded-xl bg-white p-0 shadow-xl ring-1 ring-gray-200"
    >
      <div className="px-6 pt-6 pb-4">
        <h2 id="confirm-title" className="text-base font-semibold text-gray-900">
          {title}
        </h2>
        <p id="confirm-body" className="mt-2 text-sm text-gray-600">
          {body}
        </p>
      </div>
      <div className="flex justify-end gap-2 rounded-b-xl bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onClose} disabled={pending} autoFocus>
          {cancelLabel}
        </Button>
        <Button variant="danger" onClick={onConfirm} disabled={pending}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
