import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ChildLinkConfirm, ChildLinkSignIn } from "~/components/child-link-form";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { loadActor } from "~/modules/accounts/actor.server";
import { redeemChildLink, viewChildLink } from "~/modules/children/guardian-links.server";
import { db } from "~/modules/db/db.server";
import type { FieldErrors } from "~/modules/forms/parse-form.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { anyText, intent, yes } from "~/modules/forms/fields.server";
import { queryValues, readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("linkChild.title");

/**
 * A parent types (or scans) the code from the school's letter to connect their account to
 * their child's passport. Signed out, the page explains and offers sign-in or a new account.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { code } = queryValues({ code: anyText }, new URL(request.url).searchParams);
  return { signedIn: Boolean(context.signedIn), code: code.slice(0, 20) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!context.signedIn) throw redirect("/link-child");
  const actor = await loadActor(db(), context.signedIn);
  const form = await readValues(request, { code: anyText, intent: intent(["link"]), consent: yes });
  const code = form.code.slice(0, 20);
  if (form.intent === "link") {
    const result = await redeemChildLink(db(), actor, { code, consent: form.consent });
    if (result.ok) throw redirect(`/guardian/children/${result.childId}?welcome=1`);
    if (result.state === "consentRequired") {
      const view = await viewChildLink(db(), actor, { code });
      if (view.state === "valid") return data({ code, givenName: view.givenName, errors: { consent: "consent.errors.required" } }, { status: 400 });
    }
    return data({ code, givenName: null, errors: { code: `linkChild.errors.${result.state}` } }, { status: 400 });
  }
  const view = await viewChildLink(db(), actor, { code });
  if (view.state !== "valid")
    return data({ code, givenName: null, errors: { code: code.trim() ? `linkChild.errors.${view.state}` : "linkChild.errors.codeRequired" } }, { status: 400 });
  return { code, givenName: view.givenName, errors: {} };
}

export default function LinkChild() {
  const { t } = useTranslate();
  const { signedIn, code } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">{t("linkChild.title")}</h1>
      {!signedIn ? (
        <ChildLinkSignIn />
      ) : actionData?.givenName ? (
        <ChildLinkConfirm givenName={actionData.givenName} code={actionData.code} errors={actionData.errors as FieldErrors} />
      ) : (
        <>
          <p>{t("linkChild.intro")}</p>
          <ErrorSummary errors={actionData?.errors as FieldErrors | undefined} />
          <Form method="post" className="space-y-5" noValidate>
            <input type="hidden" name="intent" value="check" />
            <TextField
              name="code"
              label={t("linkChild.code")}
              hint={t("linkChild.codeHint")}
              defaultValue={actionData?.code ?? code}
              error={(actionData?.errors as FieldErrors | undefined)?.code}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              className="max-w-[16rem] font-mono uppercase"
            />
            <SubmitButton>{t("children.continue")}</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
