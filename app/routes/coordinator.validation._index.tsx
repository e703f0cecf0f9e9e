import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityTitle, StatusTag } from "~/components/activity-bits";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { requireActor } from "~/modules/accounts/actor.server";
import { EXPIRY_WARNING_DAYS, providerName } from "~/modules/activities/options";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { validationQueue } from "~/modules/providers/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const lang = await resolveLanguage(request);
  return { title: translator(lang)("validation.queueTitle"), queue: await validationQueue(db(), membership) };
}

function Empty({ children }: { children: string }) {
  return <p className="text-slate-800">{children}</p>;
}

export default function ValidationQueue() {
  const { t, lang } = useTranslate();
  const { queue } = useLoaderData<typeof loader>();
  const expiring = [
    ...queue.expiringProviders.map((p) => ({
      kind: "provider" as const,
      id: p.id,
      until: p.validated_until ?? "",
      name: providerName(p, lang),
      activity: null,
    })),
    ...queue.expiringActivities.map((a) => ({
      kind: "activity" as const,
      id: a.id,
      until: a.validated_until ?? "",
      name: providerName({ name_en: a.provider_name_en, name_cy: a.provider_name_cy }, lang),
      activity: a,
    })),
  ].sort((a, b) => a.until.localeCompare(b.until));
  return (
    <div className="space-y-10">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">{t("validation.queueTitle")}</h1>
        <p className="max-w-prose">{t("validation.queueIntro")}</p>
      </div>

      <section aria-labelledby="applications-heading" className="space-y-3">
        <h2 id="applications-heading" className="text-2xl font-semibold">
          {t("validation.applicationsTitle", { count: queue.applications.length })}
        </h2>
        {queue.applications.length === 0 ? <Empty>{t("validation.noApplications")}</Empty> : null}
        <ul className="space-y-2">
          {queue.applications.map((provider) => (
            <li key={provider.id} className="rounded border border-slate-300 p-3">
              <Link to={`/coordinator/validation/providers/${provider.id}`} className="font-semibold">
                {providerName(provider, lang)}
              </Link>
              <span className="block text-sm">
                {t(`providerKinds.${provider.kind}`)}
                {provider.town ? ` · ${provider.town}` : ""}
                {provider.submitted_at ? ` · ${t("validation.submittedOn", { date: formatDateTime(provider.submitted_at, lang) })}` : ""}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="activities-heading" className="space-y-3">
        <h2 id="activities-heading" className="text-2xl font-semibold">
          {t("validation.activitiesTitle", { count: queue.activities.length })}
        </h2>
        {queue.activities.length === 0 ? <Empty>{t("validation.noActivities")}</Empty> : null}
        <ul className="space-y-2">
          {queue.activities.map((activity) => (
            <li key={activity.id} className="rounded border border-slate-300 p-3">
              <Link to={`/coordinator/validation/activities/${activity.id}`} className="font-semibold">
                <ActivityTitle activity={activity} />
              </Link>
              <span className="block text-sm">
                {providerName({ name_en: activity.provider_name_en, name_cy: activity.provider_name_cy }, lang)} · {t(`categories.${activity.category}`)} ·{" "}
                {t("common.hours", { count: activity.credit_quarter_hours / 4 })}
                {activity.provider_status !== "validated" ? <> · {t("validation.providerNotYet")}</> : null}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="expiring-heading" className="space-y-3">
        <h2 id="expiring-heading" className="text-2xl font-semibold">
          {t("validation.expiringTitle", { days: EXPIRY_WARNING_DAYS })}
        </h2>
        <p className="max-w-prose">{t("validation.expiringHint")}</p>
        {expiring.length === 0 ? <Empty>{t("validation.noExpiring")}</Empty> : null}
        <ul className="space-y-2">
          {expiring.map((item) => (
            <li key={`${item.kind}-${item.id}`} className="rounded border border-slate-300 p-3">
              <Link to={`/coordinator/validation/${item.kind === "provider" ? "providers" : "activities"}/${item.id}`} className="font-semibold">
                {item.activity ? <ActivityTitle activity={item.activity} /> : item.name}
              </Link>
              <span className="block text-sm">
                {item.activity ? `${item.name} · ` : `${t("validation.learningDestination")} · `}
                {item.until < queue.today ? (
                  <>
                    <StatusTag status="validated" expired /> {t("validation.expiredOn", { date: formatDate(item.until, lang) })}
                  </>
                ) : (
                  t("validation.expiresOn", { date: formatDate(item.until, lang) })
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {queue.awaitingChanges.length > 0 ? (
        <section aria-labelledby="awaiting-heading" className="space-y-3">
          <h2 id="awaiting-heading" className="text-2xl font-semibold">
            {t("validation.awaitingTitle")}
          </h2>
          <ul className="space-y-2">
            {queue.awaitingChanges.map((provider) => (
              <li key={provider.id}>
                <Link to={`/coordinator/validation/providers/${provider.id}`}>{providerName(provider, lang)}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
