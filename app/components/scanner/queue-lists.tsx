import type { QueuedScan } from "~/modules/scanner/queue";
import { formatClock } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

/** How a scan is named in the lists: a typed number as typed; a card's token is never shown. */
function ScanLabel({ scan, sessionId }: { scan: QueuedScan; sessionId: string }) {
  const { t } = useTranslate();
  const time = formatClock(new Date(scan.scannedAt));
  return (
    <>
      {scan.via === "typed" ? t("scanner.queue.typedNumber", { number: scan.passport, time }) : t("scanner.queue.scannedCard", { time })}
      {scan.sessionId !== sessionId ? <span className="block text-sm">{t("scanner.queue.otherSession")}</span> : null}
    </>
  );
}

/**
 * The scans this phone still holds: waiting to be sent (and why), refused (with the reason,
 * until dismissed), and those credited while the page has been open.
 */
export function QueueLists({
  sessionId,
  waiting,
  refused,
  issued,
  onDismiss,
  onRetry,
}: {
  sessionId: string;
  waiting: QueuedScan[];
  refused: QueuedScan[];
  issued: QueuedScan[];
  onDismiss: (key: string) => void;
  onRetry: () => void;
}) {
  const { t } = useTranslate();
  const blocked = waiting.find((scan) => scan.problem === "signedOut" || scan.problem === "forbidden")?.problem;
  return (
    <div className="space-y-6">
      <section aria-labelledby="waiting-heading" className="space-y-2">
        <h2 id="waiting-heading" className="text-2xl font-semibold">
          {t("scanner.queue.waitingHeading", { n: waiting.length })}
        </h2>
        {waiting.length === 0 ? (
          <p>{t("scanner.queue.nothingWaiting")}</p>
        ) : (
          <>
            {blocked ? (
              <p className="border-l-4 border-amber-600 bg-amber-50 p-3 font-semibold">
                {t(`scanner.problems.${blocked}`)} {/* A plain link: the scanner is an island (ADR 0046), and signing in is a page of its own. */}
                {blocked === "signedOut" ? (
                  <a href={`/login?redirectTo=${encodeURIComponent(`/provider/sessions/${sessionId}/scan`)}`}>{t("scanner.queue.signIn")}</a>
                ) : null}
              </p>
            ) : null}
            <ul className="divide-y divide-slate-300 border-y border-slate-300">
              {waiting.map((scan) => (
                <li key={scan.key} className="py-2">
                  <span className="font-semibold">
                    <ScanLabel scan={scan} sessionId={sessionId} />
                  </span>
                  <span className="block text-sm text-slate-800">{scan.problem ? t(`scanner.problems.${scan.problem}`) : t("scanner.queue.notSentYet")}</span>
                </li>
              ))}
            </ul>
            <button type="button" onClick={onRetry} className="min-h-12 rounded border-2 border-slate-800 px-4 py-2 font-semibold hover:bg-slate-100">
              {t("scanner.queue.tryNow")}
            </button>
          </>
        )}
      </section>

      {refused.length > 0 ? (
        <section aria-labelledby="refused-heading" className="space-y-2">
          <h2 id="refused-heading" className="text-2xl font-semibold">
            {t("scanner.queue.refusedHeading", { n: refused.length })}
          </h2>
          <ul className="divide-y divide-slate-300 border-y border-slate-300">
            {refused.map((scan) => (
              <li key={scan.key} className="flex flex-wrap items-start justify-between gap-3 border-l-4 border-red-700 py-2 pl-3">
                <span className="min-w-0">
                  <span className="block font-semibold">
                    {scan.refusal?.child ? `${scan.refusal.child.givenName} ${scan.refusal.child.familyInitial}. · ` : ""}
                    <ScanLabel scan={scan} sessionId={sessionId} />
                  </span>
                  <span className="block">
                    <span aria-hidden="true">✕ </span>
                    {t(`credits.refusals.${scan.refusal?.code ?? ""}`, { defaultValue: t("scanner.result.refusedOther") })}
                  </span>
                </span>
                <button
                  type="button"
                  onClick={() => onDismiss(scan.key)}
                  className="min-h-12 rounded border-2 border-slate-800 px-4 py-2 font-semibold hover:bg-slate-100"
                >
                  {t("scanner.queue.dismiss")}
                  <span className="sr-only">
                    {" "}
                    <ScanLabel scan={scan} sessionId={sessionId} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {issued.length > 0 ? (
        <section aria-labelledby="issued-heading" className="space-y-2">
          <h2 id="issued-heading" className="text-2xl font-semibold">
            {t("scanner.queue.issuedHeading")}
          </h2>
          <ul className="divide-y divide-slate-300 border-y border-slate-300">
            {issued.map((scan) => (
              <li key={scan.key} className="border-l-4 border-green-700 py-2 pl-3">
                <span aria-hidden="true">✓ </span>
                <span className="font-semibold">
                  {scan.issued?.child.givenName} {scan.issued?.child.familyInitial}.
                </span>{" "}
                · {t("scanner.result.hoursAdded", { count: scan.issued?.hours ?? 0 })} · {formatClock(new Date(scan.scannedAt))}
                {scan.sessionId !== sessionId ? <span className="block text-sm">{t("scanner.queue.otherSession")}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
