import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Detail, Notice, StatusTag } from "~/components/activity-bits";
import { notFound } from "~/modules/accounts/actor.server";
import { formatDate, formatDateTime } from "~/modules/i18n/format";
import { ApplicationForm } from "~/components/application-form";
import { ErrorSummary } from "~/components/forms";
import { applicationLocalAuthorities } from "~/modules/activities/places.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { applicationByToken, applicationFormValues, parseApplicationForm, resubmitApplication } from "~/modules/providers/applications.server";
import { readFormData } from "~/modules/forms/read-form.server";
import { pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  // The address is a private link: keep it out of search engines.
  { name: "robots", content: "noindex" },
];

async function load(request: Request, token: string | undefined) {
  const application = await applicationByToken(db(), token);
  if (!application) notFound();
  return application;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const application = await load(request, params.token);
  const lang = await resolveLanguage(request);
  const localAuthorities =
    application.status === "changes_requested" ? (await applicationLocalAuthorities(db())).filter((la) => la.area_id === application.area_id) : [];
  return {
    title: translator(lang)("apply.status.title"),
    application: {
      name: application.name_en,
      nameCy: application.name_cy,
      status: application.status,
      reason: application.status_reason,
      validatedUntil: application.validated_until,
      submittedAt: application.submitted_at,
      areaNameEn: application.area_name_en,
      areaNameCy: application.area_name_cy,
    },
    values: application.status === "changes_requested" ? applicationFormValues(application) : {},
    localAuthorities,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await load(request, params.token);
  const parsed = parseApplicationForm(await readFormData(request));
  if (!parsed.ok)
    return data({ errors: parsed.errors, values: parsed.values as Record<string, string>, formError: null as string | null, sent: false }, { status: 400 });
  const result = await resubmitApplication(db(), params.token!, parsed.data);
  if (!result.ok)
    return data(
      { errors: result.errors as FieldErrors, values: {} as Record<string, string>, formError: result.formError ?? null, sent: false },
      { status: 400 },
    );
  return data({ errors: {} as FieldErrors, values: {} as Record<string, string>, formError: null, sent: true });
}

export default function ApplicationStatus() {
  const { t, lang } = useTranslate();
  const { application, values, localAuthorities } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const name = pick({ en: application.name, cy: application.nameCy }, lang);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-3xl font-bold">
        {t("apply.status.title")}
        <span className="block text-lg font-normal">{name}</span>
      </h1>
      {searchParams.get("sent") === "1" && !actionData ? <Notice>{t("apply.status.received")}</Notice> : null}
      {actionData?.sent ? <Notice>{t("apply.status.resent")}</Notice> : null}
      <p className="max-w-prose">{t("apply.status.keepLink")}</p>

      <dl className="space-y-2">
        <Detail term={t("apply.status.statusTerm")}>
          <StatusTag status={application.status} />
        </Detail>
        <Detail term={t("apply.status.area")}>{pick({ en: application.areaNameEn, cy: application.areaNameCy }, lang)}</Detail>
        {application.submittedAt ? <Detail term={t("apply.status.submitted")}>{formatDateTime(application.submittedAt, lang)}</Detail> : null}
        {application.status === "validated" && application.validatedUntil ? (
          <Detail term={t("validation.validUntil")}>{formatDate(application.validatedUntil, lang)}</Detail>
        ) : null}
      </dl>

      <p className="max-w-prose">{t(`apply.status.explain.${application.status}`)}</p>
      {application.reason && (application.status === "changes_requested" || application.status === "refused") ? (
        <section aria-labelledby="reason-heading" className="border-l-4 border-amber-700 bg-amber-50 p-4">
          <h2 id="reason-heading" className="font-semibold">
            {t("apply.status.reasonTitle")}
          </h2>
          <p className="whitespace-pre-line">{application.reason}</p>
        </section>
      ) : null}
      {application.status === "validated" ? (
        <p>
          <Link to="/login">{t("apply.status.signIn")}</Link>
        </p>
      ) : null}

      {application.status === "changes_requested" && !actionData?.sent ? (
        <section aria-labelledby="edit-heading" className="space-y-4">
          <h2 id="edit-heading" className="text-2xl font-semibold">
            {t("apply.status.editTitle")}
          </h2>
          <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
          <ApplicationForm
            localAuthorities={localAuthorities}
            showAreas={false}
            values={actionData?.values && Object.keys(actionData.values).length ? actionData.values : values}
            errors={actionData?.errors ?? {}}
            submitLabel={t("apply.status.resubmit")}
          />
        </section>
      ) : null}
    </div>
  );
}
