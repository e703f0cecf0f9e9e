import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ChildTable } from "~/components/child-table";
import { requireActor } from "~/modules/accounts/actor.server";
import { childList } from "~/modules/accounts/homes.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("homes.school");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  return { schoolName: membership.schoolName, children: await childList(db(), membership) };
}

export default function SchoolHome() {
  const { t } = useTranslate();
  const { schoolName, children } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {t("homes.school")}
        <span className="block text-lg font-normal">{schoolName}</span>
      </h1>
      <p>{t("homes.schoolPupils", { count: children.length })}</p>
      <ul className="space-y-1">
        <li>
          <Link to="/school/roster">{t("roster.title")}</Link>
        </li>
        <li>
          <Link to="/school/passports">{t("print.title")}</Link>
        </li>
        <li>
          <Link to="/reports/equity">{t("reports.link")}</Link>
        </li>
      </ul>
      <ChildTable caption={t("homes.children")} rows={children} />
    </div>
  );
}
