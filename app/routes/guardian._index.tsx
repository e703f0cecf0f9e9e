import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ChildTable } from "~/components/child-table";
import { requireActor } from "~/modules/accounts/actor.server";
import { childList } from "~/modules/accounts/homes.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  return { children: await childList(db(), membership) };
}

export default function GuardianHome() {
  const { t } = useTranslate();
  const { children } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">{t("homes.guardian")}</h1>
      {children.length ? <ChildTable caption={t("homes.guardian")} rows={children} /> : <p>{t("homes.noChildren")}</p>}
    </div>
  );
}
