import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AgesText, CostText, Detail, Notice, SkillsText, StatusTag } from "~/components/activity-bits";
import { formatDate } from "~/modules/i18n/format";
import { DecisionForm } from "~/components/decision-form";
import { DecisionHistory } from "~/components/decision-history";
import { ErrorSummary } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { bilingualText, providerName } from "~/modules/activities/options";
import { ukDate } from "~/modules/activities/uk-time.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { activityForValidation, decideActivity, parseDecisionForm } from "~/modules/providers/validation.server";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const found = await activityForValidation(db(), membership, params.activityId ?? "");
  const lang = await resolveLanguage(request);
  return { ...found, title: bilingualText(found.activity, lang).title, today: ukDate(new Date()) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = parseDecisionForm(await readFormData(request));
  if (!parsed.ok) {
    await activityForValidation(db(), membership, params.activityId ?? "");
    return data({ errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 });
  }
  const result = await decideActivity(db(), membership, params.activityId ?? "", parsed.data);
  if (!result.ok)
    return data({ errors: {} as FieldErrors, values: {} as Record<string, string>, formError: result.formError as string | null }, { status: 409 });
  throw redirect(`/coordinator/validation/activities/${params.activityId}?decided=${parsed.data.decision}`);
}

/** Both languages side by side, each marked with its language. */
function BothLanguages({ cy, en }: { cy: string | null; en: string | null }) {
  const { t } = useTranslate();
  return (
    <>
      <span className="block">
        <span className="font-semibold">{t("activities.inWelsh")}:</span> <span lang="cy">{cy ?? "—"}</span>
      </span>
      <span className="block">
        <span className="font-semibold">{t("activities.inEnglish")}:</span> <span lang="en">{en ?? "—"}</span>
      </span>
    </>
  );
}

export default function ValidateActivity() {
  const { t, lang } = useTranslate();
  const { activity, history, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const decided = searchParams.get("decided");
  const text = bilingualText(activity, lang);
  const expired = activity.status === "validated" && (activity.validated_until ?? "") < today;
  const providerCurrent = activity.provider_status === "validated" && (activity.provider_validated_until ?? "") >= today;
  return (
    <div className="space-y-8">
      <p>
        <Link to="/coordinator/validation">{t("validation.backToQueue")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        <span lang={text.lang !== lang ? text.lang : undefined}>{text.title}</span>
        <span className="block text-lg font-normal">
          <Link to={`/coordinator/validation/providers/${activity.provider_id}`}>
            {providerName({ name_en: activity.provider_name_en, name_cy: activity.provider_name_cy }, lang)}
          </Link>
        </span>
      </h1>
      {decided ? <Notice>{t(`validation.decided.${decided}`, { defaultValue: "" }) || t("validation.decided.validated")}</Notice> : null}
      <dl className="space-y-2">
        <Detail term={t("apply.status.statusTerm")}>
          <StatusTag status={activity.status} expired={expired} />
          {activity.validated_until && activity.status === "validated"
            ? ` ${t("validation.validUntilDate", { date: formatDate(activity.validated_until, lang) })}`
            : ""}
        </Detail>
        {activity.status_reason ? <Detail term={t("validation.reason")}>{activity.status_reason}</Detail> : null}
        <Detail term={t("activities.titleTerm")}>
          <BothLanguages cy={activity.title_cy} en={activity.title_en} />
        </Detail>
        <Detail term={t("activities.descriptionTerm")}>
          <BothLanguages cy={activity.description_cy} en={activity.description_en} />
        </Detail>
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
        <Detail term={t("directory.where")}>
          {[activity.venue, activity.town].filter(Boolean).join(", ")}
          {activity.la_code ? ` (${t(`localAuthorities.${activity.la_code}`, { defaultValue: activity.la_code })})` : ""}
        </Detail>
        <Detail term={t("directory.deliveryLanguage")}>{activity.welsh_language ? t("directory.deliveredInWelsh") : t("directory.deliveredNotWelsh")}</Detail>
        {activity.accessibility_notes ? <Detail term={t("activities.fields.accessibilityNotes")}>{activity.accessibility_notes}</Detail> : null}
      </dl>

      {activity.status !== "refused" && activity.status !== "withdrawn" ? (
        <section aria-labelledby="decision-heading" className="max-w-3xl space-y-4">
          <h2 id="decision-heading" className="text-2xl font-semibold">
            {t("validation.decideTitle")}
          </h2>
          {!providerCurrent ? <p className="border-l-4 border-amber-700 bg-amber-50 p-3">{t("validation.errors.providerNotValidated")}</p> : null}
          <p className="max-w-prose">{t(activity.status === "validated" ? "validation.renewHintActivity" : "validation.decideHintActivity")}</p>
          <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
          <DecisionForm errors={actionData?.errors ?? {}} values={actionData?.values ?? {}} renewal={activity.status === "validated"} />
        </section>
      ) : null}

      <DecisionHistory history={history} />
    </div>
  );
}
