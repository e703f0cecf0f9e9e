import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AgesText, CostText, Detail, SessionTime, SkillsText } from "~/components/activity-bits";
import { notFound } from "~/modules/accounts/actor.server";
import { directoryActivity, directoryArea } from "~/modules/activities/directory.server";
import { bilingualText, providerName } from "~/modules/activities/options";
import { db } from "~/modules/db/db.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { area } = await directoryArea(db(), url.searchParams.get("area"));
  // Not listed (never validated, expired, refused, or another area's): as if it did not exist.
  const found = area ? await directoryActivity(db(), area.id, params.activityId ?? "") : null;
  if (!found) notFound();
  const lang = await resolveLanguage(request);
  return {
    ...found,
    title: bilingualText(found.activity, lang).title,
    backQuery: url.searchParams.get("area") ? `?area=${encodeURIComponent(url.searchParams.get("area")!)}` : "",
  };
}

export default function PublicActivity() {
  const { t, lang } = useTranslate();
  const { activity, sessions, backQuery } = useLoaderData<typeof loader>();
  const text = bilingualText(activity, lang);
  const other = text.lang !== lang ? text.lang : undefined;
  const upcoming = sessions.filter((session) => !session.cancelled_at);
  return (
    <article className="space-y-6">
      <p>
        <Link to={`/activities${backQuery}`}>{t("directory.back")}</Link>
      </p>
      <header className="space-y-2">
        <h1 className="text-3xl font-bold" lang={other}>
          {text.title}
        </h1>
        <p className="text-lg">{providerName({ name_en: activity.provider_name_en, name_cy: activity.provider_name_cy }, lang)}</p>
      </header>

      {text.onlyIn ? <p className="border-l-4 border-brand-700 bg-brand-50 p-3">{t(`directory.availableOnlyIn.${text.onlyIn}`)}</p> : null}
      {text.description ? (
        <p className="max-w-prose text-lg" lang={other}>
          {text.description}
        </p>
      ) : null}

      <dl className="space-y-2">
        <Detail term={t("activities.fields.category")}>{t(`categories.${activity.category}`)}</Detail>
        {activity.skills.length > 0 ? (
          <Detail term={t("activities.fields.skills")}>
            <SkillsText skills={activity.skills} />
          </Detail>
        ) : null}
        <Detail term={t("directory.whoFor")}>
          <AgesText minAge={activity.min_age} maxAge={activity.max_age} />
        </Detail>
        <Detail term={t("directory.costTerm")}>
          <CostText costBand={activity.cost_band} pricePence={activity.price_pence} />
        </Detail>
        <Detail term={t("directory.where")}>
          {[activity.venue, activity.town].filter(Boolean).join(", ")}
          {activity.la_code ? ` (${t(`localAuthorities.${activity.la_code}`, { defaultValue: activity.la_code })})` : null}
        </Detail>
        <Detail term={t("directory.deliveryLanguage")}>{activity.welsh_language ? t("directory.deliveredInWelsh") : t("directory.deliveredNotWelsh")}</Detail>
        <Detail term={t("directory.creditsTerm")}>{t("directory.creditsPerSession", { count: activity.credit_quarter_hours / 4 })}</Detail>
        {activity.accessibility_notes ? <Detail term={t("activities.fields.accessibilityNotes")}>{activity.accessibility_notes}</Detail> : null}
      </dl>

      <section aria-labelledby="sessions-heading" className="space-y-2">
        <h2 id="sessions-heading" className="text-2xl font-semibold">
          {t("directory.nextSessions")}
        </h2>
        {upcoming.length === 0 ? <p>{t("directory.noSessionsContact")}</p> : null}
        {sessions.length > 0 ? (
          <ul className="space-y-1">
            {sessions.map((session) => (
              <li key={session.id}>
                {session.cancelled_at ? (
                  <>
                    <s>
                      <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} />
                    </s>{" "}
                    <strong>{t("directory.cancelled")}</strong>
                  </>
                ) : (
                  <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} />
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="contact-heading" className="space-y-2">
        <h2 id="contact-heading" className="text-2xl font-semibold">
          {t("directory.contactTitle")}
        </h2>
        <p>{t("directory.contactHint")}</p>
        <ul className="space-y-1">
          {activity.provider_email ? (
            <li>
              {t("directory.email")}: <a href={`mailto:${activity.provider_email}`}>{activity.provider_email}</a>
            </li>
          ) : null}
          {activity.provider_phone ? (
            <li>
              {t("directory.phone")}: <a href={`tel:${activity.provider_phone.replace(/[^0-9+]/g, "")}`}>{activity.provider_phone}</a>
            </li>
          ) : null}
        </ul>
      </section>
    </article>
  );
}
