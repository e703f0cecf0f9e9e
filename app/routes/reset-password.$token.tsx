import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { LinkProblem } from "~/components/link-problem";
import { checkResetLink, resetPassword, resetPasswordForm } from "~/modules/accounts/password-reset.server";
import { db } from "~/modules/db/db.server";
import { failureOf } from "~/modules/forms/form-result";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { invalid, readForm } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const state = await checkResetLink(db(), params.token);
  const t = translator(await resolveLanguage(request));
  if (state !== "valid") return data({ state, title: t(`linkProblem.${state}Title`) }, { status: state === "invalid" ? 404 : 410 });
  return { state, title: t("reset.newPasswordTitle") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = await readForm(request, resetPasswordForm);
  if (!parsed.ok) return invalid(parsed, 400, { state: null });
  const result = await resetPassword(db(), params.token ?? "", parsed.data);
  if (result.ok) throw redirect(result.home, { headers: { "Set-Cookie": result.setCookie } });
  if ("errors" in result) return invalid({ errors: result.errors }, 400, { state: null });
  // The link is no longer good: the page says so instead of the form.
  return data({ errors: {}, state: result.state }, { status: 410 });
}

export default function ResetPassword() {
  const { t } = useTranslate();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors } = failureOf(actionData);
  const state = actionData?.state ?? loaderData.state;
  if (state !== "valid") return <LinkProblem state={state} kind="reset" />;
  return (
    <div className="max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">{t("reset.newPasswordTitle")}</h1>
      <p>{t("reset.newPasswordIntro")}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="space-y-5" noValidate>
        <TextField
          name="password"
          type="password"
          label={t("accountFields.newPassword")}
          hint={t("passwordRules.hint")}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <SubmitButton>{t("reset.newPasswordSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
