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
import { columns, pick } from "~/modules/i18n/bilingual";

// React in the browser (ADR 0042): the new token's copy button.
export const handle = { hydrate: true };

export const meta = titled<typeof loader>((t, data, lang) => t("apiTokens.titleFor", { provider: pick(columns(data.provider, "name"), lang) }));

// Any provider of the coordinator's own area; a provider of another area is a 404.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  return listApiTokens(db(), membership, params.providerId ?? "");
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const result = await handleApiTokenForm(db(), membership, params.providerId ?? "", await readFormData(request));
  // The answer may hold a new token in plain text: it must not be cached anywhere.
  return data(result, { status: result.intent === "create" && !result.ok ? 400 : 200, headers: { "Cache-Control": "no-store" } });
}

/** The page may show a new token in plain text (and always lists private data): never cached. */
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export default function CoordinatorProviderTokens() {
  const { t } = useTranslate();
  const { provider, tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <ApiTokenManager
      provider={provider}
      tokens={tokens}
      actionData={actionData}
      showProviderInTitle
      back={{ to: "/coordinator", label: t("apiTokens.backCoordinator") }}
    />
  );
}
