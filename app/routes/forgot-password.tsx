import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { failureOf } from "~/modules/forms/form-result";
import { EmailField, ErrorSummary, SubmitButton } from "~/components/forms";
import { publicOrigin } from "~/modules/accounts/links.server";
import { forgotPasswordForm, requestPasswordReset } from "~/modules/accounts/password-reset.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { title: translator(await resolveLanguage(request))("reset.forgotTitle") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await readForm(request, forgotPasswordForm);
  if (!parsed.ok) return invalid(parsed);
  const result = await requestPasswordReset(db(), parsed.data, context.clientAddress, publicOrigin());
  if (!result.ok) return invalid({ values: { email: parsed.data.email }, formError: { key: "signIn.rateLimited", count: result.retryAfterMinutes } }, 429);
  // The same answer for every address, registered or not.
  return { errors: {}, values: {}, formError: null, sentTo: parsed.data.email };
}

export default function ForgotPassword() {
  const { t } = useTranslate();
  const actionData = useActionData<typeof action>();
  const { errors, values, formError } = failureOf(actionData);
  if (actionData && "sentTo" in actionData) {
    return (
      <div className="max-w-prose space-y-4">
        <h1 className="text-3xl font-bold">{t("reset.checkEmailTitle")}</h1>
        <p>{t("reset.checkEmail", { email: actionData.sentTo })}</p>
        <p>{t("reset.checkEmailHint")}</p>
        <p>
          <Link to="/login">{t("reset.backToSignIn")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("reset.forgotTitle")}</h1>
      <p>{t("reset.forgotIntro")}</p>
      <ErrorSummary errors={errors} formError={formError} />
      <Form method="post" className="space-y-5" noValidate>
        <EmailField name="email" label={t("signIn.email")} autoComplete="email" defaultValue={values.email} error={errors.email} required />
        <SubmitButton>{t("reset.forgotSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
