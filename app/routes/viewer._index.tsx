import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled("homes.viewer");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["viewer"]);
  return { areaNameEn: membership.areaNameEn, areaNameCy: membership.areaNameCy };
}

export default function ViewerHome() {
  const { t, lang } = useTranslate();
  const { areaNameEn, areaNameCy } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {t("homes.viewer")}
        <span className="block text-lg font-normal">{pick({ en: areaNameEn, cy: areaNameCy }, lang)}</span>
      </h1>
      <p>{t("homes.viewerHint")}</p>
      <p>
        <Link to="/reports/equity">{t("reports.link")}</Link>
        <span className="block text-sm">{t("reports.linkHint")}</span>
      </p>
      <p>
        <Link to="/reports/voice">{t("childVoiceReport.navLink")}</Link>
      </p>
      <p>
        <Link to="/reports/impact">{t("impact.navLink")}</Link>
      </p>
    </div>
  );
}
