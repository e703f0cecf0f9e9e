import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireActor } from "~/modules/accounts/actor.server";
import { upcomingSessions } from "~/modules/accounts/homes.server";
import { db } from "~/modules/db/db.server";
import { formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  return {
    providerName: membership.providerName,
    isOwner: membership.role === "provider_owner",
    sessions: await upcomingSessions(db(), membership),
  };
}

export default function ProviderHome() {
  const { t, lang } = useTranslate();
  const { providerName, isOwner, sessions } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {t("homes.provider")}
        <span className="block text-lg font-normal">{providerName}</span>
      </h1>
      <section aria-labelledby="sessions-heading" className="space-y-2">
        <h2 id="sessions-heading" className="text-2xl font-semibold">
          {t("homes.upcomingSessions")}
        </h2>
        {sessions.length === 0 ? <p>{t("homes.noSessions")}</p> : null}
        <ul className="space-y-1">
          {sessions.map((session) => (
            <li key={session.id}>
              <Link to={`/provider/sessions/${session.id}`}>
                {(lang === "cy" ? session.title_cy ?? session.title_en : session.title_en ?? session.title_cy) ?? ""} ·{" "}
                {formatDateTime(session.starts_at, lang)}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      {isOwner ? (
        <nav aria-labelledby="manage-heading">
          <h2 id="manage-heading" className="text-2xl font-semibold">
            {t("homes.manage")}
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6">
            <li>
              <Link to="/provider/staff">{t("homes.staff")}</Link>
            </li>
            <li>
              <Link to="/provider/tokens">{t("homes.apiTokens")}</Link>
            </li>
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
