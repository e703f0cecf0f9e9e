import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ApiTokenManager } from "~/components/api-token-manager";
import { requireActor } from "~/modules/accounts/actor.server";
import { handleApiTokenForm, listApiTokens } from "~/modules/accounts/api-tokens.server";
import { db } from "~/modules/db/db.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

// React in the browser (ADR 0042): the new token's copy button.
export const handle = { hydrate: true };

export const meta = titled("apiTokens.title");

// Owners only: staff (provider_member) get 403; the provider is always the owner's own.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  return listApiTokens(db(), membership, membership.providerId);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["provider_owner"]);
  const result = await handleApiTokenForm(db(), membership, membership.providerId, await readFormData(request));
  // The answer may hold a new token in plain text: it must not be cached anywhere.
  return data(result, { status: result.intent === "create" && !result.ok ? 400 : 200, headers: { "Cache-Control": "no-store" } });
}

/** The page may show a new token in plain text (and always lists private data): never cached. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export default function ProviderTokens() {
  const { t } = useTranslate();
  const { provider, tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <ApiTokenManager
      provider={provider}
      tokens={tokens}
      actionData={actionData}
      showProviderInTitle={false}
      back={{ to: "/provider", label: t("apiTokens.backProvider") }}
    />
  );
}
