import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityTitle, SessionTime, StatusTag } from "~/components/activity-bits";
import { formatDate } from "~/modules/i18n/format";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { providerHome } from "~/modules/providers/provider-home.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("homes.provider");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  return {
    providerName: membership.providerName,
    isOwner: membership.role === "provider_owner",
    home: await providerHome(db(), membership),
  };
}

function SessionList({
  sessions,
}: {
  sessions: Array<{
    id: string;
    starts_at: string | Date;
    ends_at: string | Date;
    cancelled_at: string | Date | null;
    title_en: string | null;
    title_cy: string | null;
  }>;
}) {
  const { t } = useTranslate();
  return (
    <ul className="space-y-1">
      {sessions.map((session) => (
        <li key={session.id}>
          <Link to={`/provider/sessions/${session.id}`}>
            <ActivityTitle activity={session} />
          </Link>{" "}
          · <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} />
          {session.cancelled_at ? <strong> · {t("directory.cancelled")}</strong> : null}
        </li>
      ))}
    </ul>
  );
}

export default function ProviderHome() {
  const { t, lang } = useTranslate();
  const { providerName, isOwner, home } = useLoaderData<typeof loader>();
  const { validation } = home;
  return (
    <div className="space-y-8">
      <h1 className="text-3xl font-bold">
        {t("homes.provider")}
        <span className="block text-lg font-normal">{providerName}</span>
      </h1>

      <section aria-labelledby="validation-heading" className="space-y-2">
        <h2 id="validation-heading" className="text-2xl font-semibold">
          {t("providerHome.validationTitle")}
        </h2>
        <p className="flex flex-wrap items-center gap-3">
          <StatusTag status={validation.status} expired={validation.expired} />
          {validation.status === "validated" && validation.validatedUntil ? (
            <span>
              {validation.expired
                ? t("validation.expiredOn", { date: formatDate(validation.validatedUntil, lang) })
                : t("validation.validUntilDate", { date: formatDate(validation.validatedUntil, lang) })}
            </span>
          ) : null}
        </p>
        <p className="max-w-prose">
          {t(
            validation.expired
              ? "providerHome.explain.expired"
              : validation.expiresSoon
                ? "providerHome.explain.expiresSoon"
                : `providerHome.explain.${validation.status}`,
          )}
        </p>
        {validation.reason ? (
          <div className="border-l-4 border-amber-700 bg-amber-50 p-4">
            <p className="font-semibold">{t("activities.coordinatorSaid")}</p>
            <p className="whitespace-pre-line">{validation.reason}</p>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="today-heading" className="space-y-2">
        <h2 id="today-heading" className="text-2xl font-semibold">
          {t("providerHome.todayTitle")}
        </h2>
        {home.todaysSessions.length === 0 ? <p>{t("providerHome.noSessionsToday")}</p> : <SessionList sessions={home.todaysSessions} />}
      </section>

      <section aria-labelledby="sessions-heading" className="space-y-2">
        <h2 id="sessions-heading" className="text-2xl font-semibold">
          {t("homes.upcomingSessions")}
        </h2>
        {home.upcomingSessions.length === 0 ? <p>{t("homes.noSessions")}</p> : <SessionList sessions={home.upcomingSessions} />}
      </section>

      {home.attention.length > 0 ? (
        <section aria-labelledby="attention-heading" className="space-y-2">
          <h2 id="attention-heading" className="text-2xl font-semibold">
            {t("providerHome.attentionTitle")}
          </h2>
          <ul className="space-y-2">
            {home.attention.map((activity) => (
              <li key={activity.id} className="rounded border border-slate-300 p-3">
                <Link to={`/provider/activities/${activity.id}`} className="font-semibold">
                  <ActivityTitle activity={activity} />
                </Link>{" "}
                <StatusTag status={activity.status} expired={activity.expired} />
                {activity.status === "validated" && activity.validated_until ? (
                  <span className="block text-sm">
                    {activity.expired
                      ? t("validation.expiredOn", { date: formatDate(activity.validated_until, lang) })
                      : t("validation.expiresOn", { date: formatDate(activity.validated_until, lang) })}
                  </span>
                ) : null}
                {activity.status_reason && (activity.status === "changes_requested" || activity.status === "refused") ? (
                  <span className="block">
                    <span className="font-semibold">{t("activities.coordinatorSaid")}</span> {activity.status_reason}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="credits-heading" className="space-y-2">
        <h2 id="credits-heading" className="text-2xl font-semibold">
          {t("providerHome.creditsTitle")}
        </h2>
        {home.credits.length === 0 ? <p>{t("providerHome.noCredits")}</p> : null}
        <ul className="space-y-1">
          {home.credits.map((credit) => (
            <li key={credit.id}>
              {credit.given_name} {credit.family_initial}. · <ActivityTitle activity={credit} /> · {t("common.hours", { count: credit.quarter_hours / 4 })} ·{" "}
              {formatDate(credit.earned_on, lang)}
              {credit.revoked_at ? <strong> · {t("providerHome.revoked")}</strong> : null}
            </li>
          ))}
        </ul>
      </section>

      <nav aria-labelledby="manage-heading">
        <h2 id="manage-heading" className="text-2xl font-semibold">
          {t("homes.manage")}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-6">
          <li>
            <Link to="/provider/activities">{t("providerHome.activitiesLink")}</Link>
          </li>
          <li>
            <Link to="/provider/claims">{t("claims.staff.title")}</Link>
          </li>
          <li>
            <Link to="/reports/equity">{t("reports.link")}</Link>
          </li>
          <li>
            <Link to="/reports/voice">{t("childVoiceReport.navLink")}</Link>
          </li>
          {isOwner ? (
            <>
              <li>
                <Link to="/provider/staff">{t("homes.staff")}</Link>
              </li>
              <li>
                <Link to="/provider/tokens">{t("homes.apiTokens")}</Link>
              </li>
            </>
          ) : null}
        </ul>
      </nav>
    </div>
  );
}
