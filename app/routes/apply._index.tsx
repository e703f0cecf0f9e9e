import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ApplicationForm } from "~/components/application-form";
import { ErrorSummary, type FormError } from "~/components/forms";
import { applicationLocalAuthorities } from "~/modules/activities/places.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { parseApplicationForm, submitApplication } from "~/modules/providers/applications.server";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = await resolveLanguage(request);
  const localAuthorities = await applicationLocalAuthorities(db());
  return { title: translator(lang)("apply.title"), localAuthorities, showAreas: new Set(localAuthorities.map((la) => la.area_id)).size > 1 };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseApplicationForm(await readFormData(request));
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null as FormError }, { status: 400 });
  const lang = await resolveLanguage(request);
  const result = await submitApplication(db(), parsed.data, { language: lang, origin: publicOrigin(), clientAddress: context.clientAddress });
  if (!result.ok) {
    const values = Object.fromEntries(
      Object.entries(parsed.data).map(([key, value]) => [key, typeof value === "boolean" ? (value ? "on" : "") : (value ?? "")]),
    );
    return data(
      { errors: result.errors as FieldErrors, values, formError: (result.formError ?? null) as FormError },
      { status: typeof result.formError === "object" ? 429 : 400 },
    );
  }
  // The status link is the applicant's own: it is also in the email we just sent them.
  throw redirect(`/apply/status/${result.token}?sent=1`);
}

export default function Apply() {
  const { t } = useTranslate();
  const { localAuthorities, showAreas } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-3xl font-bold">{t("apply.title")}</h1>
      <div className="max-w-prose space-y-3">
        <p>{t("apply.intro")}</p>
        <p>{t("apply.criteriaIntro")}</p>
        <ul className="list-disc space-y-1 pl-6">
          <li>{t("validation.criteria.voluntary")}</li>
          <li>{t("validation.criteria.outsideSchoolHours")}</li>
          <li>{t("validation.criteria.learningAim")}</li>
          <li>{t("validation.criteria.furtherStudy")}</li>
        </ul>
        <p>{t("apply.next")}</p>
      </div>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <ApplicationForm
        localAuthorities={localAuthorities}
        showAreas={showAreas}
        values={actionData?.values ?? {}}
        errors={actionData?.errors ?? {}}
        submitLabel={t("apply.submit")}
      />
    </div>
  );
}
