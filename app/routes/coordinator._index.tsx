import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/accounts/actor.server";
import { areaSummary } from "~/modules/accounts/homes.server";
import { flaggedAwardCount } from "~/modules/awards/flagged.server";
import { childrenWaitingBySchool } from "~/modules/children/lsoa21-waiting.server";
import { db } from "~/modules/db/db.server";
import { outboxViewerEnabled } from "~/modules/email/outbox.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled("homes.coordinator");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  return {
    areaNameEn: membership.areaNameEn,
    areaNameCy: membership.areaNameCy,
    summary: await areaSummary(db(), membership.areaId),
    flaggedAwards: await flaggedAwardCount(db(), membership.areaId),
    showOutbox: outboxViewerEnabled(),
    waiting: await childrenWaitingBySchool(db(), membership),
  };
}

export default function CoordinatorHome() {
  const { t, lang } = useTranslate();
  const { areaNameEn, areaNameCy, summary, showOutbox, flaggedAwards, waiting } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {t("homes.coordinator")}
        <span className="block text-lg font-normal">{pick({ en: areaNameEn, cy: areaNameCy }, lang)}</span>
      </h1>
      <p>{t("homes.coordinatorSummary", summary)}</p>
      <nav aria-labelledby="manage-heading">
        <h2 id="manage-heading" className="text-2xl font-semibold">
          {t("homes.manage")}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-6">
          <li>
            <Link to="/coordinator/validation">{t("validation.queueTitle")}</Link>
          </li>
          <li>
            <Link to="/coordinator/awards">{t("awards.ladder.title")}</Link>
          </li>
          <li>
            <Link to="/coordinator/awards/flagged">{t("awards.flagged.homeLink", { count: flaggedAwards })}</Link>
          </li>
          <li>
            <Link to="/coordinator/invitations">{t("homes.invitations")}</Link>
          </li>
          <li>
            <Link to="/coordinator/graduations">{t("homes.graduations")}</Link>
          </li>
          <li>
            <Link to="/coordinator/certificates">{t("homes.certificates")}</Link>
          </li>
          <li>
            <Link to="/coordinator/transfer">{t("homes.transfer")}</Link>
          </li>
          <li>
            <Link to="/coordinator/audit">{t("homes.audit")}</Link>
          </li>
          <li>
            <Link to="/reports/equity">{t("reports.link")}</Link>
          </li>
          <li>
            <Link to="/reports/voice">{t("childVoiceReport.navLink")}</Link>
          </li>
          <li>
            <Link to="/reports/impact">{t("impact.navLink")}</Link>
          </li>
          {showOutbox ? (
            <li>
              <Link to="/coordinator/outbox">{t("homes.outbox")}</Link>
            </li>
          ) : null}
        </ul>
      </nav>
      {waiting.schools.length ? (
        <section aria-labelledby="waiting-heading" className="space-y-2">
          <h2 id="waiting-heading" className="text-2xl font-semibold">
            {t("lsoa21Waiting.title")}
          </h2>
          <p>{t("lsoa21Waiting.intro")}</p>
          <div className="overflow-x-auto">
            <table className="min-w-full border-collapse text-left">
              <caption className="sr-only">{t("lsoa21Waiting.caption")}</caption>
              <thead>
                <tr className="border-b-2 border-slate-700">
                  <th scope="col" className="py-2 pr-4">
                    {t("lsoa21Waiting.school")}
                  </th>
                  <th scope="col" className="py-2 text-right">
                    {t("lsoa21Waiting.count")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {waiting.schools.map((school) => (
                  <tr key={school.schoolId ?? "none"} className="border-b border-slate-300">
                    <th scope="row" className="py-2 pr-4 font-normal">
                      {school.name ?? t("lsoa21Waiting.noSchool")}
                    </th>
                    <td className="py-2 text-right">{school.waiting.shown}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t-2 border-slate-700 font-semibold">
                  <th scope="row" className="py-2 pr-4">
                    {t("lsoa21Waiting.total")}
                  </th>
                  <td className="py-2 text-right">{waiting.total.shown}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
