import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { LanguageField } from "~/components/choice-fields";
import { EmailField, ErrorSummary, SubmitButton } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { childGuardians, GUARDIAN_INVITE_LIFETIME_DAYS, guardianInviteForm, inviteSecondGuardian } from "~/modules/children/guardian-links.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form.server";
import { formatDate } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled<typeof loader>((t, data) => t("guardians.pageTitle", { name: data.child.given_name }));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const [{ child, guardians }, lang] = await Promise.all([childGuardians(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  // Dates are written here: a browser without Welsh locale data would otherwise show English.
  return { child, guardians: guardians.map((guardian) => ({ ...guardian, sinceText: formatDate(guardian.since, lang) })) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const parsed = parseForm(guardianInviteForm, await readFormData(request));
  if (!parsed.ok) return data({ sent: false, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await inviteSecondGuardian(db(), membership, params.childId ?? "", parsed.data, publicOrigin());
  if (!result.ok) return data({ sent: false, errors: result.errors as FieldErrors, values: { email: parsed.data.email } }, { status: 400 });
  return { sent: true, errors: {} as FieldErrors, values: { email: parsed.data.email } };
}

export default function Guardians() {
  const { t } = useTranslate();
  const { child, guardians } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-2xl space-y-6">
      <p>
        <Link to={`/guardian/children/${child.id}`}>{t("passport.backToPassport", { name: child.given_name })}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("guardians.pageTitle", { name: child.given_name })}</h1>
      <ul className="list-disc space-y-1 pl-6">
        {guardians.map((guardian, index) => (
          <li key={index}>
            {guardian.displayName}
            {guardian.isYou ? ` (${t("guardians.you")})` : ""} — {t("guardians.since", { date: guardian.sinceText })}
          </li>
        ))}
      </ul>
      {actionData?.sent ? (
        <p role="status" className="rounded border-4 border-brand-700 bg-brand-50 p-4 font-semibold">
          {t("guardians.sent", { email: actionData.values.email, days: GUARDIAN_INVITE_LIFETIME_DAYS })}
        </p>
      ) : null}
      <h2 className="text-2xl font-semibold">{t("guardians.inviteTitle")}</h2>
      <p>{t("guardians.inviteIntro", { name: child.given_name })}</p>
      <ErrorSummary errors={actionData?.errors} />
      <Form method="post" className="space-y-5" noValidate>
        <EmailField
          name="email"
          label={t("guardians.emailLabel")}
          autoComplete="off"
          error={actionData?.errors.email}
          defaultValue={actionData?.sent ? "" : actionData?.values.email}
        />
        <LanguageField label={t("guardians.language")} error={actionData?.errors.language} />
        <SubmitButton>{t("guardians.send")}</SubmitButton>
      </Form>
    </div>
  );
}
