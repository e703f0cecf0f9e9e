import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { sessionForStaff } from "~/modules/accounts/homes.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "provider_owner", "provider_member"]);
  return { session: await sessionForStaff(db(), membership, params.sessionId ?? "") };
}

export default function ProviderSession() {
  const { t, lang } = useTranslate();
  const { session } = useLoaderData<typeof loader>();
  const title = (lang === "cy" ? session.title_cy ?? session.title_en : session.title_en ?? session.title_cy) ?? "";
  return (
    <div className="space-y-4">
      <h1 className="text-3xl font-bold">{title}</h1>
      <p>
        {formatDateTime(session.starts_at, lang)} – {formatDateTime(session.ends_at, lang)}
      </p>
      <p>{t("common.hours", { count: session.quarter_hours / 4 })}</p>
    </div>
  );
}
