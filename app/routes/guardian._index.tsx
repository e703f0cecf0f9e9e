import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ChildTable } from "~/components/child-table";
import { GuardianClaims } from "~/components/guardian-claims";
import { requireActor } from "~/modules/accounts/actor.server";
import { childList } from "~/modules/accounts/homes.server";
import { claimsForGuardian } from "~/modules/claims/claims.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  return { children: await childList(db(), membership), claims: await claimsForGuardian(db(), membership) };
}

export default function GuardianHome() {
  const { t } = useTranslate();
  const { children, claims } = useLoaderData<typeof loader>();
  const withdrawn = useSearchParams()[0].has("withdrawn");
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t("homes.guardian")}</h1>
      {withdrawn ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("dataRights.withdraw.done")}
        </p>
      ) : null}
      {children.length ? <ChildTable caption={t("homes.guardian")} rows={children} linkPrefix="/guardian/children" /> : <p>{t("homes.noChildren")}</p>}
      <ul className="space-y-2 text-lg">
        <li>
          <Link to="/guardian/children/new" className="font-semibold">
            {t("children.new.link")}
          </Link>
        </li>
        <li>
          <Link to="/link-child">{t("linkChild.homeLink")}</Link>
        </li>
      </ul>
      <GuardianClaims claims={claims} />
    </div>
  );
}
