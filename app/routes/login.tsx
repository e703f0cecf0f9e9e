import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { EmailField, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { homePathFor, loadActor } from "~/modules/accounts/actor.server";
import { safeRedirectPath } from "~/modules/accounts/safe-redirect";
import { signIn, signInPageForm } from "~/modules/accounts/sign-in.server";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("signIn.title");

export async function loader({ context }: LoaderFunctionArgs) {
  // Already signed in: straight to where this person works.
  if (context.signedIn) throw redirect(homePathFor((await loadActor(db(), context.signedIn)).membership));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await readForm(request, signInPageForm);
  if (!parsed.ok) return invalid(parsed);
  const { redirectTo, ...credentials } = parsed.data;
  const result = await signIn(db(), credentials, context.clientAddress);
  if (!result.ok) {
    const formError = result.reason === "rateLimited" ? { key: "signIn.rateLimited", count: result.retryAfterMinutes } : "signIn.invalid";
    return invalid({ values: { email: credentials.email }, formError }, result.reason === "rateLimited" ? 429 : 400);
  }
  throw redirect(safeRedirectPath(redirectTo ?? null, result.home), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const { t } = useTranslate();
  const { errors, values, formError } = failureOf(useActionData<typeof action>());
  const [searchParams] = useSearchParams();
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("signIn.title")}</h1>
      <ErrorSummary errors={errors} formError={formError} />
      <Form method="post" className="space-y-5" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <EmailField name="email" label={t("signIn.email")} autoComplete="email" defaultValue={values.email} error={errors.email} required />
        <TextField name="password" type="password" label={t("signIn.password")} autoComplete="current-password" error={errors.password} required />
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
