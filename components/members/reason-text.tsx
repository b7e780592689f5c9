/** A ledger or tier-history reason in the reader's language; a text no code is known for is shown muted, marked 原文. */
export function ReasonText({ view, originalLabel }: { view: { reason: string; original: boolean }; originalLabel: string }) {
  if (!view.original) return <>{view.reason}</>;
  return (
    <span className="text-gray-400" data-original-reason>
      <span className="mr-1 rounded bg-gray-100 px-1 text-[10px] text-gray-500">{originalLabel}</span>
      {view.reason}
    </span>
  );
}
