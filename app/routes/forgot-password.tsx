import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { publicOrigin } from "~/modules/accounts/links.server";
import { forgotPasswordForm, requestPasswordReset } from "~/modules/accounts/password-reset.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form";
import type { FormError } from "~/components/forms";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { title: translator(await resolveLanguage(request))("reset.forgotTitle") };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string>; formError: FormError; sentTo: string | null };

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(forgotPasswordForm, await readFormData(request));
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values: parsed.values, formError: null, sentTo: null }, { status: 400 });
  const result = await requestPasswordReset(db(), parsed.data, context.clientAddress, publicOrigin());
  if (!result.ok) {
    const formError = { key: "signIn.rateLimited", count: result.retryAfterMinutes };
    return data<ActionResult>({ errors: {}, values: { email: parsed.data.email }, formError, sentTo: null }, { status: 429 });
  }
  // The same answer for every address, registered or not.
  return data<ActionResult>({ errors: {}, values: {}, formError: null, sentTo: parsed.data.email });
}

export default function ForgotPassword() {
  const { t } = useTranslate();
  const actionData = useActionData<typeof action>();
  if (actionData?.sentTo) {
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
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <Form method="post" className="space-y-5" noValidate>
        <TextField
          name="email"
          type="email"
          label={t("signIn.email")}
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          defaultValue={actionData?.values.email}
          error={actionData?.errors.email}
          required
        />
        <SubmitButton>{t("reset.forgotSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
