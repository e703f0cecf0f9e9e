import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SessionPageHeader } from "~/components/session-page-header";
import { Island } from "~/components/island";
import { Scanner } from "~/components/scanner/scanner";
import type { ScanDisplay } from "~/components/scanner/scan-result";
import { requireActor } from "~/modules/accounts/actor.server";
import { sessionForStaff } from "~/modules/accounts/homes.server";
import { parseForm } from "~/modules/forms/parse-form.server";
import { outwardRefusal } from "~/modules/credits/refusals";
import { newFormKey, scanFields, scanIntoSession, sessionOpenness, SCAN_ROLES } from "~/modules/credits/session-scan.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { readFormData } from "~/modules/forms/read-form.server";
import { islandScripts } from "~/modules/islands/islands.server";

// Not Remix's client (ADR 0042) but an island of its own (ADR 0046): the camera, and the queue
// that keeps scans made without signal, in a module of about 27 KB instead of about 107 KB.
export const handle = { island: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.pageTitle} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, SCAN_ROLES);
  const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
  const lang = await resolveLanguage(request);
  return {
    pageTitle: translator(lang)("scanner.title"),
    session,
    openness: await sessionOpenness(db(), membership.areaId, session.id),
    // Kept with the person's queued scans on the phone: an opaque id, not a name.
    owner: membership.userId,
    // The no-JavaScript form's key: sending the same form twice replays rather than counting twice.
    formKey: newFormKey(),
    scannerScripts: islandScripts("scanner"),
  };
}

/** The typed-number form without JavaScript: gives the credit and draws the page again with the answer. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, SCAN_ROLES);
  const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
  const parsed = parseForm(scanFields, await readFormData(request));
  if (!parsed.ok) {
    return data(
      { result: null as ScanDisplay | null, fieldError: parsed.errors.passport ?? "scanner.errors.keyMissing", typed: parsed.values.passport ?? "" },
      { status: 400 },
    );
  }
  const outcome = await scanIntoSession(db(), membership, session, parsed.data);
  const result: ScanDisplay = outcome.ok
    ? {
        kind: "issued",
        replayed: outcome.replayed,
        child: outcome.child,
        hours: outcome.quarterHours / 4,
        totalHours: outcome.totalQuarterHours / 4,
        awardsReached: outcome.awardsReached,
      }
    : { kind: "refused", code: outwardRefusal(outcome.code), child: outcome.child };
  // A mistyped number stays in the box to be put right.
  return { result, fieldError: null as string | null, typed: outcome.ok ? "" : parsed.data.passport };
}

export default function ScanPassports() {
  const { t } = useTranslate();
  const { session, openness, owner, formKey, scannerScripts } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <SessionPageHeader title={t("scanner.title")} session={session} openness={openness} />
      <Island
        name="scanner"
        component={Scanner}
        scripts={scannerScripts}
        props={{
          sessionId: session.id,
          owner,
          formKey,
          serverResult: answer?.result ?? null,
          fieldError: answer?.fieldError ?? null,
          typed: answer?.typed ?? "",
        }}
      />
      <p>
        <Link to={`/provider/sessions/${session.id}/roster`}>{t("sessionCredits.links.roster")}</Link>
      </p>
    </div>
  );
}
