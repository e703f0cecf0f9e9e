import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityTitle, StatusTag } from "~/components/activity-bits";
import { formatClock, formatDate, formatSessionDay } from "~/modules/i18n/format";
import { requireActor } from "~/modules/accounts/actor.server";
import { listProviderActivities } from "~/modules/activities/activities.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  const lang = await resolveLanguage(request);
  return {
    title: translator(lang)("activities.listTitle"),
    providerName: membership.providerName,
    isOwner: membership.role === "provider_owner",
    today: ukDate(new Date()),
    activities: await listProviderActivities(db(), membership),
  };
}

export default function ProviderActivities() {
  const { t, lang } = useTranslate();
  const { providerName, isOwner, today, activities } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">
        {t("activities.listTitle")}
        <span className="block text-lg font-normal">{providerName}</span>
      </h1>
      {isOwner ? (
        <p>
          <Link
            to="/provider/activities/new"
            className="inline-block rounded bg-brand-700 px-5 py-2 font-semibold text-white no-underline hover:bg-brand-900 hover:text-white"
          >
            {t("activities.add")}
          </Link>
        </p>
      ) : (
        <p className="max-w-prose">{t("activities.memberHint")}</p>
      )}
      {activities.length === 0 ? <p>{t("activities.none")}</p> : null}
      <ul className="space-y-3">
        {activities.map((activity) => {
          const expired = activity.status === "validated" && (activity.validated_until ?? "") < today;
          return (
            <li key={activity.id} className="rounded-lg border border-slate-300 p-4">
              <h2 className="text-xl font-semibold">
                <Link to={`/provider/activities/${activity.id}`}>
                  <ActivityTitle activity={activity} />
                </Link>
              </h2>
              <p className="mt-1 flex flex-wrap items-center gap-3">
                <StatusTag status={activity.status} expired={expired} />
                {activity.status === "validated" && activity.validated_until ? (
                  <span>{t("validation.validUntilDate", { date: formatDate(activity.validated_until, lang) })}</span>
                ) : null}
              </p>
              {activity.status_reason && (activity.status === "changes_requested" || activity.status === "refused") ? (
                <p className="mt-2">
                  <span className="font-semibold">{t("activities.coordinatorSaid")}</span> {activity.status_reason}
                </p>
              ) : null}
              <p className="mt-1 text-sm">
                {t(`categories.${activity.category}`)} · {t("common.hours", { count: activity.credit_quarter_hours / 4 })} ·{" "}
                {activity.next_session_at
                  ? t("directory.next", { day: formatSessionDay(activity.next_session_at, lang), time: formatClock(activity.next_session_at) })
                  : t("activities.noSessionsPlanned")}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
