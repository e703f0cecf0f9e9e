import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/activity-bits";
import { SessionCodeLinks } from "~/components/session-code-bits";
import { SessionCredits, SessionScanLinks } from "~/components/session-credits";
import { sessionForStaff } from "~/modules/accounts/homes.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { pendingClaimCount } from "~/modules/claims/claims.server";
import { creditsOfSession, revokeFromSessionPage } from "~/modules/credits/session-credits.server";
import { db } from "~/modules/db/db.server";
import { formatDateTime } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";
import { columns, pick } from "~/modules/i18n/bilingual";

export const meta = titled<typeof loader>((_t, data, lang) => pick(columns(data.session, "title"), lang));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "provider_owner", "provider_member"]);
  return {
    session: await sessionForStaff(db(), membership, params.sessionId ?? ""),
    pendingClaims: await pendingClaimCount(db(), membership, params.sessionId),
    credits: await creditsOfSession(db(), membership, params.sessionId ?? ""),
  };
}

/** Revoking a credit of this session, with a reason (the ledger decides who may, and until when). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "provider_owner", "provider_member"]);
  const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
  const result = await revokeFromSessionPage(db(), membership, session.id, await readFormData(request));
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(`/provider/sessions/${session.id}?revoked=1`);
}

export default function ProviderSession() {
  const { t, lang } = useTranslate();
  const { session, pendingClaims, credits } = useLoaderData<typeof loader>();
  const revokeAnswer = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  const title = pick(columns(session, "title"), lang);
  return (
    <div className="space-y-4">
      <p>
        <Link to={`/provider/activities/${session.activity_id}`}>{t("activities.backToActivity")}</Link>
      </p>
      {saved === "sessionAdded" || saved === "sessionsAdded" ? <Notice>{t(`activities.saved.${saved}`)}</Notice> : null}
      <h1 className="text-3xl font-bold">{title}</h1>
      <p>
        {formatDateTime(session.starts_at, lang)} – {formatDateTime(session.ends_at, lang)}
      </p>
      <p>{t("common.hours", { count: session.quarter_hours / 4 })}</p>
      <SessionScanLinks sessionId={session.id} />
      <SessionCodeLinks sessionId={session.id} pendingClaims={pendingClaims} />
      <SessionCredits
        sessionId={session.id}
        credits={credits}
        revokeId={searchParams.get("revoke")}
        revoked={searchParams.get("revoked") === "1"}
        errors={revokeAnswer && !revokeAnswer.ok ? revokeAnswer.errors : undefined}
        formError={revokeAnswer && !revokeAnswer.ok ? revokeAnswer.formError : undefined}
      />
    </div>
  );
}
