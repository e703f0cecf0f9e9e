import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { homePathFor, loadActor } from "~/modules/accounts/actor.server";
import { safeRedirectPath } from "~/modules/accounts/safe-redirect";
import { signIn, signInForm } from "~/modules/accounts/sign-in.server";
import { db } from "~/modules/db/db.server";
import { parseForm, type FieldErrors } from "~/modules/forms/parse-form";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("signIn.title");

export async function loader({ context }: LoaderFunctionArgs) {
  // Already signed in: straight to where this person works.
  if (context.signedIn) throw redirect(homePathFor((await loadActor(db(), context.signedIn)).membership));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const parsed = parseForm(signInForm, formData);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  const result = await signIn(db(), parsed.data, context.clientAddress);
  if (!result.ok) {
    const formError = result.reason === "rateLimited" ? { key: "signIn.rateLimited", count: result.retryAfterMinutes } : "signIn.invalid";
    return data({ errors: {} as FieldErrors, values: { email: parsed.data.email }, formError }, { status: result.reason === "rateLimited" ? 429 : 400 });
  }
  throw redirect(safeRedirectPath(formData.get("redirectTo"), result.home), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const { t } = useTranslate();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("signIn.title")}</h1>
      <ErrorSummary errors={actionData?.errors} formError={actionData?.formError} />
      <Form method="post" className="space-y-5" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
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
        <TextField name="password" type="password" label={t("signIn.password")} autoComplete="current-password" error={actionData?.errors.password} required />
        <SubmitButton>{t("signIn.submit")}</SubmitButton>
      </Form>
      <p>{t("signIn.sessionLength")}</p>
      <ul className="space-y-2">
        <li>
          <Link to="/forgot-password">{t("signIn.forgotPassword")}</Link>
        </li>
        <li>
          <Link to="/register">{t("signIn.register")}</Link>
        </li>
      </ul>
    </div>
  );
}
