import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { LanguageField, SelectField } from "~/components/choice-fields";
import { EmailField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { homePathFor, loadActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { registerGuardian, registrationAreas, registrationForm } from "~/modules/accounts/registration.server";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";
import { columns, pick } from "~/modules/i18n/bilingual";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.signedIn) throw redirect(homePathFor((await loadActor(db(), context.signedIn)).membership));
  const areas = await registrationAreas(db());
  // Which Children's University to join is asked only when there is a choice.
  return { title: translator(await resolveLanguage(request))("register.title"), areas: areas.length > 1 ? areas : [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await readForm(request, registrationForm);
  if (!parsed.ok) return invalid(parsed);
  const result = await registerGuardian(db(), parsed.data, context.clientAddress, publicOrigin());
  const { displayName, email, language, areaId } = parsed.data;
  const values = { displayName, email, language, areaId: areaId ?? "" };
  if (!result.ok && "errors" in result) return invalid({ errors: result.errors, values });
  if (!result.ok) return invalid({ values, formError: { key: "signIn.rateLimited", count: result.retryAfterMinutes } }, 429);
  // The same answer whether or not the address already had an account.
  return { status: "sent" as const, sentTo: email };
}

export default function Register() {
  const { t, lang } = useTranslate();
  const { areas } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.status === "sent") {
    return (
      <div className="max-w-prose space-y-4">
        <h1 className="text-3xl font-bold">{t("register.checkEmailTitle")}</h1>
        <p>{t("register.checkEmail", { email: actionData.sentTo })}</p>
        <p>{t("register.checkEmailHint")}</p>
      </div>
    );
  }
  const { errors, values, formError } = failureOf(actionData);
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("register.title")}</h1>
      <p>{t("register.intro")}</p>
      <ErrorSummary errors={errors} formError={formError} />
      <Form method="post" className="space-y-5" noValidate>
        <TextField
          name="displayName"
          label={t("accountFields.name")}
          hint={t("accountFields.nameHint")}
          autoComplete="name"
          defaultValue={values.displayName}
          error={errors.displayName}
          required
        />
        <EmailField name="email" label={t("signIn.email")} autoComplete="email" defaultValue={values.email} error={errors.email} required />
        <TextField
          name="password"
          type="password"
          label={t("accountFields.newPassword")}
          hint={t("passwordRules.hint")}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <LanguageField label={t("register.language")} hint={t("register.languageHint")} defaultValue={values.language} error={errors.language} />
        {areas.length ? (
          <SelectField
            name="areaId"
            label={t("register.area")}
            hint={t("register.areaHint")}
            emptyLabel={t("invite.choose")}
            options={areas.map((area) => ({ value: area.id, label: pick(columns(area, "name"), lang) }))}
            defaultValue={values.areaId}
            error={errors.areaId}
          />
        ) : null}
        <SubmitButton>{t("register.submit")}</SubmitButton>
      </Form>
      <p>
        <Link to="/login">{t("register.haveAccount")}</Link>
      </p>
    </div>
  );
}
