import { Form, Link } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import type { ApiTokenFormResult } from "~/modules/accounts/api-tokens.server";
import { formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { columns, pick } from "~/modules/i18n/bilingual";

export interface ApiTokenRow {
  id: string;
  name: string;
  token_hint: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

interface Props {
  provider: { name_en: string; name_cy: string | null };
  tokens: ApiTokenRow[];
  actionData: ApiTokenFormResult | undefined;
  showProviderInTitle: boolean;
  back: { to: string; label: string };
}

/**
 * The API token page of one provider, for its owner or the area coordinator: the new token
 * (shown this once, from the action's answer, never from the loader), the create form and
 * the list with a revoke button per token. Plain POST forms: no JavaScript needed.
 */
export function ApiTokenManager({ provider, tokens, actionData, showProviderInTitle, back }: Props) {
  const { t, lang } = useTranslate();
  const providerName = pick(columns(provider, "name"), lang);
  const created = actionData?.intent === "create" && actionData.ok ? actionData.created : null;
  const createErrors = actionData?.intent === "create" && !actionData.ok ? actionData : null;
  const revoked = actionData?.intent === "revoke" ? actionData.revoked : null;
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-3xl font-bold">{showProviderInTitle ? t("apiTokens.titleFor", { provider: providerName }) : t("apiTokens.title")}</h1>
        <p className="max-w-prose">{t("apiTokens.intro", { provider: providerName })}</p>
        <p>
          <a href="/api/v1/openapi.json">{t("apiTokens.docs")}</a>
        </p>
      </div>

      {created ? <NewToken key={created.id} name={created.name} token={created.token} /> : null}
      {revoked ? (
        <p role="status" className="border-l-4 border-brand-700 bg-slate-100 p-4 font-semibold">
          {t("apiTokens.revokedMessage", { name: revoked.name })}
        </p>
      ) : null}

      <section aria-labelledby="create-heading" className="space-y-4">
        <h2 id="create-heading" className="text-2xl font-semibold">
          {t("apiTokens.createTitle")}
        </h2>
        <ErrorSummary errors={createErrors?.errors} />
        {/* A fresh form after each new token, so the name box is empty again. */}
        <Form method="post" className="space-y-4" noValidate key={created?.id ?? "new"}>
          <input type="hidden" name="intent" value="create" />
          <TextField
            name="name"
            label={t("apiTokens.name")}
            hint={t("apiTokens.nameHint")}
            maxLength={80}
            autoComplete="off"
            defaultValue={createErrors?.values.name}
            error={createErrors?.errors.name}
            required
          />
          <SubmitButton>{t("apiTokens.create")}</SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="tokens-heading" className="space-y-3">
        <h2 id="tokens-heading" className="text-2xl font-semibold">
          {t("apiTokens.listTitle")}
        </h2>
        {tokens.length === 0 ? (
          <p>{t("apiTokens.none")}</p>
        ) : (
          <div className="overflow-x-auto" role="region" aria-labelledby="tokens-heading" tabIndex={0}>
            <table className="min-w-full border-collapse text-left">
              <thead>
                <tr className="border-b-2 border-slate-700">
                  <th scope="col" className="py-2 pr-4">
                    {t("apiTokens.columnName")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("apiTokens.columnHint")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("apiTokens.columnCreated")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("apiTokens.columnLastUsed")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("apiTokens.columnStatus")}
                  </th>
                  <td className="py-2" />
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} className="border-b border-slate-300">
                    <th scope="row" className="py-2 pr-4 font-normal">
                      {token.name}
                    </th>
                    <td className="py-2 pr-4 font-mono">…{token.token_hint}</td>
                    <td className="py-2 pr-4">{formatDateTime(token.created_at, lang)}</td>
                    <td className="py-2 pr-4">{token.last_used_at ? formatDateTime(token.last_used_at, lang) : t("apiTokens.neverUsed")}</td>
                    <td className="py-2 pr-4">
                      {token.revoked_at ? t("apiTokens.revokedOn", { date: formatDateTime(token.revoked_at, lang) }) : t("apiTokens.active")}
                    </td>
                    <td className="py-2">
                      {token.revoked_at ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="tokenId" value={token.id} />
                          <button type="submit" className="rounded border-2 border-red-800 px-3 py-1 font-semibold text-red-800 hover:bg-red-50">
                            {t("apiTokens.revoke")}
                            <span className="sr-only"> {token.name}</span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </div>
  );
}

/** The plain token, once. Focused when it appears so a screen reader reads the warning first. */
function NewToken({ name, token }: { name: string; token: string }) {
  const { t } = useTranslate();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="new-token-heading" className="space-y-3 border-4 border-brand-700 p-4">
      <h2 id="new-token-heading" ref={heading} tabIndex={-1} className="text-2xl font-semibold focus:outline-none">
        {t("apiTokens.createdTitle", { name })}
      </h2>
      <p className="font-semibold">{t("apiTokens.createdWarning")}</p>
      <label htmlFor="new-token" className="block font-semibold">
        {t("apiTokens.token")}
      </label>
      <input
        id="new-token"
        readOnly
        value={token}
        spellCheck={false}
        autoComplete="off"
        className="block w-full rounded border-2 border-slate-700 px-3 py-2 font-mono"
        onFocus={(event) => event.currentTarget.select()}
      />
      <CopyButton value={token} />
    </section>
  );
}

/** Offered only where the browser can copy for us; otherwise the token is selected and copied by hand. */
function CopyButton({ value }: { value: string }) {
  const { t } = useTranslate();
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && Boolean(navigator.clipboard)), []);
  if (!canCopy) return null;
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        className="rounded border-2 border-brand-700 px-4 py-1 font-semibold text-brand-800"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {t("apiTokens.copy")}
      </button>
      <span role="status">{copied ? t("apiTokens.copied") : ""}</span>
    </div>
  );
}
