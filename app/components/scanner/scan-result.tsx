import type { ReactNode } from "react";
import type { IssuedResult, RefusedResult, SendProblem } from "~/modules/scanner/protocol";
import { useTranslate } from "~/modules/i18n/use-translate";
import { pick } from "~/modules/i18n/bilingual";

/** What the big panel at the top of the scanner says about the latest scan. */
export type ScanDisplay =
  | ({ kind: "issued" } & IssuedResult)
  | ({ kind: "refused" } & RefusedResult)
  | { kind: "waiting"; problem: SendProblem | null }
  | { kind: "sending" }
  | { kind: "notPassport" };

const TONES = {
  good: "border-green-700 bg-green-50 text-green-950",
  bad: "border-red-700 bg-red-50 text-red-950",
  wait: "border-amber-600 bg-amber-50 text-amber-950",
  busy: "border-slate-500 bg-slate-50 text-slate-900",
} as const;

/**
 * The answer to a scan, big enough to read at arm's length in the rain: colour, an icon and
 * words together, never colour alone. It sits in a live region, so a screen reader says it.
 */
export function ScanResult({ display }: { display: ScanDisplay }) {
  const { t, lang } = useTranslate();
  switch (display.kind) {
    case "issued":
      return (
        <Panel tone="good" icon={<TickIcon />} title={t("scanner.result.issuedTitle")}>
          <p className="text-3xl font-bold break-words">
            {display.child.givenName} {display.child.familyInitial}.
          </p>
          <p className="text-xl font-semibold">{t("scanner.result.hoursAdded", { count: display.hours })}</p>
          <p className="text-lg">{t("scanner.result.total", { hours: t("common.hours", { count: display.totalHours }) })}</p>
          {display.awardsReached.map((award) => (
            <p key={award.thresholdHours} className="mt-2 rounded bg-green-800 px-3 py-2 text-lg font-bold text-white">
              <span aria-hidden="true">★ </span>
              {t("passport.reached", { award: pick({ en: award.nameEn, cy: award.nameCy }, lang) })}
            </p>
          ))}
        </Panel>
      );
    case "refused":
      return (
        <Panel tone="bad" icon={<CrossIcon />} title={t("scanner.result.refusedTitle")}>
          {display.child ? (
            <p className="text-2xl font-bold break-words">
              {display.child.givenName} {display.child.familyInitial}.
            </p>
          ) : null}
          <p className="text-lg font-semibold">{t(`credits.refusals.${display.code}`, { defaultValue: t("scanner.result.refusedOther") })}</p>
        </Panel>
      );
    case "waiting":
      return (
        <Panel tone="wait" icon={<ClockIcon />} title={t("scanner.result.waitingTitle")}>
          <p className="text-lg">{t(display.problem ? `scanner.problems.${display.problem}` : "scanner.result.waiting")}</p>
        </Panel>
      );
    case "sending":
      return <Panel tone="busy" icon={<ClockIcon />} title={t("scanner.result.sendingTitle")} />;
    case "notPassport":
      return (
        <Panel tone="bad" icon={<CrossIcon />} title={t("scanner.result.notPassportTitle")}>
          <p className="text-lg">{t("scanner.result.notPassport")}</p>
        </Panel>
      );
  }
}

function Panel({ tone, icon, title, children }: { tone: keyof typeof TONES; icon: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className={`flex items-start gap-4 rounded border-l-8 p-4 ${TONES[tone]}`}>
      <span className="mt-1 shrink-0" aria-hidden="true">
        {icon}
      </span>
      <div className="min-w-0 space-y-1">
        <p className="text-2xl font-bold">{title}</p>
        {children}
      </div>
    </div>
  );
}

const ICON = "h-10 w-10";

function TickIcon() {
  return (
    <svg viewBox="0 0 24 24" className={ICON} fill="none" stroke="currentColor" strokeWidth={3} strokeLinecap="round" strokeLinejoin="round">
      <circle cx="12" cy="12" r="10" strokeWidth={2} />
      <path d="M7 12.5l3.2 3.2L17 9" />
    </svg>
  );
}

function CrossIcon() {
  return (
    <svg viewBox="0 0 24 24" className={ICON} fill="none" stroke="currentColor" strokeWidth={3} strokeLinecap="round">
      <circle cx="12" cy="12" r="10" strokeWidth={2} />
      <path d="M8.5 8.5l7 7M15.5 8.5l-7 7" />
    </svg>
  );
}

function ClockIcon() {
  return (
    <svg viewBox="0 0 24 24" className={ICON} fill="none" stroke="currentColor" strokeWidth={2.5} strokeLinecap="round">
      <circle cx="12" cy="12" r="10" strokeWidth={2} />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}
