import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { openChildRecord } from "~/modules/accounts/access.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { formatMonth } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled<typeof loader>((_t, data) => `${data.child.given_name} ${data.child.family_name}`);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "school", "provider_owner", "provider_member", "guardian"]);
  const child = await openChildRecord(db(), membership, params.childId ?? "");
  return { child };
}

export default function ChildRecord() {
  const { t, lang } = useTranslate();
  const { child } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {child.given_name} {child.family_name}
      </h1>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">{t("homes.passportNumber")}</dt>
        <dd className="font-mono">{child.passport_number}</dd>
        <dt className="font-semibold">{t("homes.born")}</dt>
        <dd>{formatMonth(child.birth_year, child.birth_month, lang)}</dd>
      </dl>
    </div>
  );
}
