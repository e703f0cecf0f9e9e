import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActivityTitle, Detail, Notice, StatusTag } from "~/components/activity-bits";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { DecisionForm } from "~/components/decision-form";
import { DecisionHistory } from "~/components/decision-history";
import { ErrorSummary } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { providerName } from "~/modules/activities/options";
import { ukDate } from "~/modules/activities/uk-time.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { decideProvider, parseDecisionForm, providerForValidation } from "~/modules/providers/validation.server";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  // Another area's Learning Destination is a 404: it is not there for this coordinator.
  const found = await providerForValidation(db(), membership, params.providerId ?? "");
  const lang = await resolveLanguage(request);
  return { ...found, title: providerName(found.provider, lang), today: ukDate(new Date()) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const parsed = parseDecisionForm(await readFormData(request));
  if (!parsed.ok) {
    await providerForValidation(db(), membership, params.providerId ?? "");
    return data({ errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 });
  }
  const result = await decideProvider(db(), membership, params.providerId ?? "", parsed.data, publicOrigin());
  if (!result.ok)
    return data({ errors: {} as FieldErrors, values: {} as Record<string, string>, formError: result.formError as string | null }, { status: 409 });
  throw redirect(`/coordinator/validation/providers/${params.providerId}?decided=${parsed.data.decision}${result.invitationSent ? "&invited=1" : ""}`);
}

export default function ValidateProvider() {
  const { t, lang } = useTranslate();
  const { provider, activities, history, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const decided = searchParams.get("decided");
  const safeguarding = (provider.safeguarding ?? {}) as Record<string, unknown>;
  const expired = provider.status === "validated" && (provider.validated_until ?? "") < today;
  return (
    <div className="space-y-8">
      <p>
        <Link to="/coordinator/validation">{t("validation.backToQueue")}</Link>
      </p>
      <h1 className="text-3xl font-bold">
        {providerName(provider, lang)}
        <span className="block text-lg font-normal">{t("validation.learningDestination")}</span>
      </h1>
      {decided ? (
        <Notice>
          {t(`validation.decided.${decided}`, { defaultValue: "" }) || t("validation.decided.validated")}
          {searchParams.get("invited") ? ` ${t("validation.invited", { email: provider.contact_email })}` : ""}
        </Notice>
      ) : null}

      <dl className="space-y-2">
        <Detail term={t("apply.status.statusTerm")}>
          <StatusTag status={provider.status} expired={expired} />
          {provider.validated_until && provider.status === "validated"
            ? ` ${t("validation.validUntilDate", { date: formatDate(provider.validated_until, lang) })}`
            : ""}
        </Detail>
        {provider.status_reason ? <Detail term={t("validation.reason")}>{provider.status_reason}</Detail> : null}
        <Detail term={t("apply.kind")}>{t(`providerKinds.${provider.kind}`)}</Detail>
        <Detail term={t("apply.name")}>{provider.name_en}</Detail>
        {provider.name_cy ? <Detail term={t("apply.nameCy")}>{provider.name_cy}</Detail> : null}
        <Detail term={t("apply.town")}>
          {provider.town}
          {provider.la_code ? ` (${t(`localAuthorities.${provider.la_code}`, { defaultValue: provider.la_code })})` : ""}
        </Detail>
        <Detail term={t("apply.contactName")}>{provider.contact_name}</Detail>
        <Detail term={t("apply.contactEmail")}>{provider.contact_email}</Detail>
        <Detail term={t("apply.contactPhone")}>{provider.contact_phone}</Detail>
        <Detail term={t("validation.appliedIn")}>{t(`validation.language.${provider.application_language}`)}</Detail>
        {provider.submitted_at ? <Detail term={t("apply.status.submitted")}>{formatDateTime(provider.submitted_at, lang)}</Detail> : null}
        <Detail term={t("apply.summary")}>
          <span className="whitespace-pre-line">{provider.activities_summary ?? "—"}</span>
        </Detail>
        <Detail term={t("apply.safeguardingTitle")}>
          <ul>
            {(["dbs", "policy", "insurance"] as const).map((item) => (
              <li key={item}>
                {safeguarding[item] === true ? t("validation.confirmed") : t("validation.notConfirmed")}: {t(`validation.safeguarding.${item}`)}
              </li>
            ))}
          </ul>
        </Detail>
      </dl>

      {activities.length > 0 ? (
        <section aria-labelledby="provider-activities-heading" className="space-y-2">
          <h2 id="provider-activities-heading" className="text-2xl font-semibold">
            {t("activities.listTitle")}
          </h2>
          <ul className="space-y-1">
            {activities.map((activity) => (
              <li key={activity.id}>
                <Link to={`/coordinator/validation/activities/${activity.id}`}>
                  <ActivityTitle activity={activity} />
                </Link>{" "}
                <StatusTag status={activity.status} expired={activity.status === "validated" && (activity.validated_until ?? "") < today} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {provider.status !== "refused" ? (
        <section aria-labelledby="decision-heading" className="max-w-3xl space-y-4">
          <h2 id="decision-heading" className="text-2xl font-semibold">
            {t("validation.decideTitle")}
          </h2>
          <p className="max-w-prose">{t(provider.status === "validated" ? "validation.renewHintProvider" : "validation.decideHintProvider")}</p>
          <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
          <DecisionForm errors={actionData?.errors ?? {}} values={actionData?.values ?? {}} renewal={provider.status === "validated"} />
        </section>
      ) : null}

      <DecisionHistory history={history} />
    </div>
  );
}
