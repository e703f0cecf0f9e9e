import { Link } from "@remix-run/react";
import { ActivityTitle, SessionTime } from "~/components/activity-bits";
import type { Openness } from "~/modules/credits/session-scan.server";
import { useTranslate } from "~/modules/i18n/use-translate";

interface SessionSummary {
  id: string;
  title_en: string | null;
  title_cy: string | null;
  starts_at: Date | string;
  ends_at: Date | string;
  quarter_hours: number;
}

/**
 * The top of a page that gives credits for one session (scanner, register): the way back,
 * the page's title, the session, and a plain warning when it cannot earn credits now.
 */
export function SessionPageHeader({ title, session, openness }: { title: string; session: SessionSummary; openness: Openness }) {
  const { t } = useTranslate();
  return (
    <>
      <p>
        <Link to={`/provider/sessions/${session.id}`}>{t("scanner.backToSession")}</Link>
      </p>
      <div>
        <h1 className="text-3xl font-bold">{title}</h1>
        <p className="text-lg font-semibold">
          <ActivityTitle activity={session} />
        </p>
        <p>
          <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} /> · {t("common.hours", { count: session.quarter_hours / 4 })}
        </p>
      </div>
      {openness !== "OPEN" ? (
        <div className="border-l-8 border-red-700 bg-red-50 p-4 text-red-950">
          <p className="text-lg font-bold">{t("scanner.notOpenTitle")}</p>
          <p>{t(`credits.refusals.${openness}`)}</p>
        </div>
      ) : null}
    </>
  );
}
