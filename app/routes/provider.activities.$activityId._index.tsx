import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AgesText, CostText, Detail, Notice, SessionTime, SkillsText, StatusTag } from "~/components/activity-bits";
import { formatDate } from "~/modules/i18n/format";
import { ErrorSummary, SubmitButton, TextareaField } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { activityForStaff } from "~/modules/activities/activities.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { bilingualText } from "~/modules/activities/options";
import { cancelFields, cancelSession, sessionsOfActivity } from "~/modules/activities/sessions.server";
import { ukDate } from "~/modules/activities/uk-time.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  const activity = await activityForStaff(db(), membership, params.activityId ?? "");
  const lang = await resolveLanguage(request);
  return {
    title: bilingualText(activity, lang).title || translator(lang)("activities.listTitle"),
    isOwner: membership.role === "provider_owner",
    today: ukDate(new Date()),
    activity,
    sessions: await sessionsOfActivity(db(), membership, activity.id),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner", "provider_member"]);
  const activity = await activityForStaff(db(), membership, params.activityId ?? "");
  const parsed = parseForm(cancelFields, await readFormData(request));
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null as string | null }, { status: 400 });
  const result = await cancelSession(db(), membership, parsed.data.sessionId, parsed.data.reason);
  if (!result.ok) return data({ errors: {}, formError: result.formError as string | null }, { status: 409 });
  throw redirect(`/provider/activities/${activity.id}?saved=cancelled`);
}

export default function ProviderActivity() {
  const { t, lang } = useTranslate();
  const { isOwner, today, activity, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  const cancelling = sessions.upcoming.find((session) => session.id === searchParams.get("cancel") && !session.cancelled_at);
  const text = bilingualText(activity, lang);
  const expired = activity.status === "validated" && (activity.validated_until ?? "") < today;
  const closed = activity.status === "refused" || activity.status === "withdrawn";
  return (
    <div className="space-y-8">
      <p>
        <Link to="/provider/activities">{t("activities.backToList")}</Link>
      </p>
      <h1 className="text-3xl font-bold" lang={text.lang !== lang ? text.lang : undefined}>
        {text.title}
      </h1>
      {saved ? <Notice>{t(`activities.saved.${saved}`, { defaultValue: "" }) || t("activities.saved.updated")}</Notice> : null}

      <section aria-labelledby="status-heading" className="space-y-2">
        <h2 id="status-heading" className="text-2xl font-semibold">
          {t("activities.statusTitle")}
        </h2>
        <p className="flex flex-wrap items-center gap-3">
          <StatusTag status={activity.status} expired={expired} />
          {activity.status === "validated" && activity.validated_until ? (
            <span>{t("validation.validUntilDate", { date: formatDate(activity.validated_until, lang) })}</span>
          ) : null}
        </p>
        <p className="max-w-prose">{t(expired ? "activities.explain.expired" : `activities.explain.${activity.status}`)}</p>
        {activity.status_reason && (activity.status === "changes_requested" || activity.status === "refused") ? (
          <div className="border-l-4 border-amber-700 bg-amber-50 p-4">
            <p className="font-semibold">{t("activities.coordinatorSaid")}</p>
            <p className="whitespace-pre-line">{activity.status_reason}</p>
          </div>
        ) : null}
        {isOwner && !closed ? (
          <p>
            <Link to={`/provider/activities/${activity.id}/edit`}>
              {activity.status === "changes_requested" ? t("activities.editAndResubmit") : t("activities.edit")}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="details-heading" className="space-y-2">
        <h2 id="details-heading" className="text-2xl font-semibold">
          {t("activities.detailsTitle")}
        </h2>
        <dl className="space-y-2">
          <Detail term={t("activities.fields.category")}>{t(`categories.${activity.category}`)}</Detail>
          <Detail term={t("activities.fields.skills")}>
            <SkillsText skills={activity.skills} />
          </Detail>
          <Detail term={t("activities.fields.creditHours")}>{t("common.hours", { count: activity.credit_quarter_hours / 4 })}</Detail>
          <Detail term={t("activities.fields.costBand")}>
            <CostText costBand={activity.cost_band} pricePence={activity.price_pence} />
          </Detail>
          <Detail term={t("directory.whoFor")}>
            <AgesText minAge={activity.min_age} maxAge={activity.max_age} />
          </Detail>
          <Detail term={t("directory.where")}>{[activity.venue, activity.town ?? activity.provider_town].filter(Boolean).join(", ")}</Detail>
          <Detail term={t("directory.deliveryLanguage")}>{activity.welsh_language ? t("directory.deliveredInWelsh") : t("directory.deliveredNotWelsh")}</Detail>
          {text.onlyIn ? <Detail term={t("activities.describedIn")}>{t(`activities.onlyIn.${text.onlyIn}`)}</Detail> : null}
        </dl>
      </section>

      <section aria-labelledby="sessions-heading" className="space-y-3">
        <h2 id="sessions-heading" className="text-2xl font-semibold">
          {t("sessions.upcomingTitle")}
        </h2>
        {!closed ? (
          <p>
            <Link
              to={`/provider/activities/${activity.id}/sessions/new`}
              className="inline-block rounded bg-brand-700 px-5 py-2 font-semibold text-white no-underline hover:bg-brand-900 hover:text-white"
            >
              {t("sessions.add")}
            </Link>
          </p>
        ) : null}
        <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
        {cancelling ? (
          <Form method="post" replace className="space-y-4 border-4 border-amber-700 p-4" noValidate>
            <h3 className="text-xl font-semibold">{t("sessions.cancelTitle")}</h3>
            <p>
              <SessionTime startsAt={cancelling.starts_at} endsAt={cancelling.ends_at} withYear />
            </p>
            <p className="max-w-prose">{t("sessions.cancelHint")}</p>
            <input type="hidden" name="sessionId" value={cancelling.id} />
            <TextareaField name="reason" label={t("sessions.cancelReason")} hint={t("sessions.cancelReasonHint")} rows={2} maxLength={500} />
            <div className="flex flex-wrap items-center gap-6">
              <SubmitButton>{t("sessions.cancelConfirm")}</SubmitButton>
              <Link to={`/provider/activities/${activity.id}`}>{t("sessions.cancelKeep")}</Link>
            </div>
          </Form>
        ) : null}
        {sessions.upcoming.length === 0 ? <p>{t("activities.noSessionsPlanned")}</p> : null}
        <ul className="divide-y divide-slate-300">
          {sessions.upcoming.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                {session.cancelled_at ? (
                  <>
                    <s>
                      <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} withYear />
                    </s>{" "}
                    <strong>{t("directory.cancelled")}</strong>
                    {session.cancel_reason ? <span className="block text-sm">{session.cancel_reason}</span> : null}
                  </>
                ) : (
                  <>
                    <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} withYear />
                    <span className="block text-sm">
                      {t("common.hours", { count: session.quarter_hours / 4 })}
                      {session.capacity ? ` · ${t("sessions.places", { count: session.capacity })}` : ""}
                    </span>
                  </>
                )}
              </span>
              {!session.cancelled_at ? (
                <span className="flex gap-4">
                  <Link to={`/provider/sessions/${session.id}`}>{t("sessions.open")}</Link>
                  <Link to={`?cancel=${session.id}`} preventScrollReset={false}>
                    {t("sessions.cancel")}
                    <span className="sr-only">
                      {" "}
                      <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} />
                    </span>
                  </Link>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        {sessions.past.length > 0 ? (
          <details>
            <summary className="cursor-pointer font-semibold">{t("sessions.pastTitle")}</summary>
            <ul className="mt-2 space-y-1">
              {sessions.past.map((session) => (
                <li key={session.id}>
                  <Link to={`/provider/sessions/${session.id}`}>
                    <SessionTime startsAt={session.starts_at} endsAt={session.ends_at} withYear />
                  </Link>
                  {session.cancelled_at ? <> · {t("directory.cancelled")}</> : null}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
    </div>
  );
}
