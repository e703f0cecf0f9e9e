import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ChildLinkConfirm, ChildLinkSignIn } from "~/components/child-link-form";
import { loadActor } from "~/modules/accounts/actor.server";
import { redeemChildLink, viewChildLink } from "~/modules/children/guardian-links.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { yes } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

export const meta = titled("linkChild.title");

/** The emailed invitation from a child's guardian to a second guardian. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  if (!context.signedIn) return { state: "signedOut" as const, givenName: null };
  const view = await viewChildLink(db(), await loadActor(db(), context.signedIn), { token: params.token });
  return view.state === "valid" ? { state: "valid" as const, givenName: view.givenName } : { state: view.state, givenName: null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (!context.signedIn) throw redirect(`/link-child/${params.token}`);
  const actor = await loadActor(db(), context.signedIn);
  const { consent } = await readValues(request, { consent: yes });
  const result = await redeemChildLink(db(), actor, { token: params.token, consent });
  if (result.ok) throw redirect(`/guardian/children/${result.childId}?welcome=1`);
  return data({ errors: { consent: result.state === "consentRequired" ? "consent.errors.required" : `linkChild.errors.${result.state}` } }, { status: 400 });
}

export default function LinkChildByEmail() {
  const { t } = useTranslate();
  const { state, givenName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">{t("linkChild.title")}</h1>
      {state === "signedOut" ? (
        <ChildLinkSignIn />
      ) : state === "valid" ? (
        <ChildLinkConfirm givenName={givenName ?? ""} errors={actionData?.errors} />
      ) : (
        <>
          <p>{t(`linkChild.errors.${state}`)}</p>
          <p>
            <Link to="/">{t("errors.backHome")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
