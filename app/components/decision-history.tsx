import type { ValidationDecisionKind } from "~/modules/db/schema";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

interface Decision {
  id: string;
  decision: ValidationDecisionKind;
  reason: string | null;
  validated_until: string | null;
  decided_at: Date | string;
  decided_by_name: string | null;
}

/** Past validation decisions, newest first. */
export function DecisionHistory({ history }: { history: Decision[] }) {
  const { t, lang } = useTranslate();
  return (
    <section aria-labelledby="history-heading" className="space-y-2">
      <h2 id="history-heading" className="text-2xl font-semibold">
        {t("validation.historyTitle")}
      </h2>
      {history.length === 0 ? <p>{t("validation.noHistory")}</p> : null}
      <ul className="space-y-2">
        {history.map((entry) => (
          <li key={entry.id} className="border-l-4 border-slate-400 pl-3">
            <span className="font-semibold">{t(`validation.statuses.${entry.decision}`)}</span> · {formatDateTime(entry.decided_at, lang)}
            {entry.decided_by_name ? ` · ${entry.decided_by_name}` : ""}
            {entry.validated_until ? <span className="block">{t("validation.validUntilDate", { date: formatDate(entry.validated_until, lang) })}</span> : null}
            {entry.reason ? <span className="block whitespace-pre-line">{entry.reason}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
