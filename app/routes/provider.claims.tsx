import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActivityTitle, Notice, SessionTime } from "~/components/activity-bits";
import { ErrorSummary, TextareaField } from "~/components/forms";
import { badRequest, requireActor } from "~/modules/accounts/actor.server";
import { approveAllForSession, decideClaim, pendingClaimsForStaff } from "~/modules/claims/claims.server";
import { refusalKey } from "~/modules/claims/refusals";
import { db } from "~/modules/db/db.server";
import { formatClock, formatSessionDay } from "~/modules/i18n/format";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { anyText, intent } from "~/modules/forms/fields.server";
import { parseValues, readFormData } from "~/modules/forms/read-form.server";

const STAFF = ["coordinator", "provider_owner", "provider_member"] as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} – Pasbort` : "Pasbort" }];

/** Claims by session code waiting for this Learning Destination's approval (the coordinator sees the area's). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, STAFF);
  const sessionId = new URL(request.url).searchParams.get("session") || undefined;
  const lang = await resolveLanguage(request);
  return {
    title: translator(lang)("claims.staff.title"),
    sessionId: sessionId ?? null,
    sessions: await pendingClaimsForStaff(db(), membership, { sessionId }),
  };
}

/** What the page says after a decision (?done=), each its sentence under claims.staff.done; any other value says nothing. */
const DONE = ["approved", "approvedAll", "approvedSome", "rejected", "alreadyDecided"] as const;
type Done = (typeof DONE)[number];

export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, STAFF);
  const formData = await readFormData(request);
  const form = await parseValues(request, formData, { intent: intent(["approveSession", "approve", "reject"]), sessionId: anyText, claimId: anyText });
  const back = new URL(request.url);
  back.searchParams.delete("done");
  back.searchParams.delete("n");
  const to = (done: Done, n?: number) => {
    back.searchParams.set("done", done);
    if (n !== undefined) back.searchParams.set("n", String(n));
    return `${back.pathname}${back.search}`;
  };
  if (form.intent === "approveSession") {
    const result = await approveAllForSession(db(), membership, form.sessionId);
    throw redirect(to(result.notAdded ? "approvedSome" : "approvedAll", result.approved));
  }
  const claimId = form.claimId;
  if (form.intent === "approve") {
    const outcome = await decideClaim(db(), membership, claimId, { decision: "approve" });
    if (!outcome.ok) throw redirect(to("alreadyDecided"));
    if (outcome.status === "rejected") {
      return data(
        { claimId, errors: {} as Record<string, string>, formError: refusalKey(outcome.refusalCode ?? "CLAIM_REJECTED"), notAdded: true },
        { status: 409 },
      );
    }
    throw redirect(to("approved"));
  }
  if (form.intent === "reject") {
    // Each claim's reason box is named by the claim.
    const field = `reason-${claimId}`;
    const { [field]: reason = "" } = await parseValues(request, formData, { [field]: anyText });
    const outcome = await decideClaim(db(), membership, claimId, { decision: "reject", reason });
    if (!outcome.ok && outcome.code === "REASON_REQUIRED") {
      return data(
        { claimId, errors: { [`reason-${claimId}`]: "claims.staff.reasonRequired" } as Record<string, string>, formError: null, notAdded: false },
        { status: 400 },
      );
    }
    throw redirect(to(outcome.ok ? "rejected" : "alreadyDecided"));
  }
  badRequest();
}

export default function ProviderClaims() {
  const { t, lang } = useTranslate();
  const { sessions, sessionId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const done = DONE.find((value) => value === searchParams.get("done"));
  const count = Number(searchParams.get("n") ?? 0);
  return (
    <div className="max-w-4xl space-y-6">
      <p>
        <Link to={sessionId ? `/provider/sessions/${sessionId}` : "/provider"}>{t(sessionId ? "sessionCode.backToSession" : "claims.staff.backHome")}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("claims.staff.title")}</h1>
      <p className="max-w-prose">{t("claims.staff.intro")}</p>
      {done ? <Notice>{t(`claims.staff.done.${done}`, { count })}</Notice> : null}
      {actionData?.notAdded ? (
        <p role="alert" className="border-l-4 border-amber-700 bg-amber-50 p-4 font-semibold">
          {t("claims.staff.notAdded")} {actionData.formError ? t(receivedKey(actionData.formError)) : null}
        </p>
      ) : null}
      <ErrorSummary errors={actionData?.errors} />
      {sessionId ? (
        <p>
          <Link to="/provider/claims">{t("claims.staff.allSessions")}</Link>
        </p>
      ) : null}

      {sessions.length === 0 ? <p className="text-lg">{t("claims.staff.none")}</p> : null}
      {sessions.map((session) => (
        <section key={session.id} aria-labelledby={`session-${session.id}`} className="space-y-3 rounded border-2 border-slate-300 p-4">
          <h2 id={`session-${session.id}`} className="text-xl font-semibold">
            <ActivityTitle activity={session} />
            <span className="block text-base font-normal">
              <SessionTime startsAt={session.startsAt} endsAt={session.endsAt} />
            </span>
          </h2>
          <Form method="post">
            <input type="hidden" name="intent" value="approveSession" />
            <input type="hidden" name="sessionId" value={session.id} />
            <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">
              {t("claims.staff.approveAll", { count: session.claims.length })}
            </button>
          </Form>
          <ul className="divide-y divide-slate-300">
            {session.claims.map((claim) => {
              const reasonField = `reason-${claim.id}`;
              const reasonError = actionData?.claimId === claim.id ? actionData.errors[reasonField] : undefined;
              return (
                <li key={claim.id} className="space-y-2 py-3">
                  <p className="text-lg">
                    <strong>
                      {claim.givenName} {claim.familyInitial}.
                    </strong>{" "}
                    · {t("claims.staff.age", { count: claim.age })} ·{" "}
                    <span className="text-slate-700">
                      {t("claims.staff.claimedAt", { day: formatSessionDay(claim.createdAt, lang), time: formatClock(claim.createdAt) })}
                    </span>
                  </p>
                  <div className="flex flex-wrap items-start gap-3">
                    <Form method="post">
                      <input type="hidden" name="intent" value="approve" />
                      <input type="hidden" name="claimId" value={claim.id} />
                      <button type="submit" className="rounded border-2 border-brand-700 px-4 py-1 font-semibold text-brand-800 hover:bg-brand-50">
                        {t("claims.staff.approve")}
                        <span className="sr-only">
                          {" "}
                          {claim.givenName} {claim.familyInitial}.
                        </span>
                      </button>
                    </Form>
                    <details open={Boolean(reasonError)} className="min-w-0 flex-1">
                      <summary className="cursor-pointer font-semibold text-red-900">
                        {t("claims.staff.reject")}
                        <span className="sr-only">
                          {" "}
                          {claim.givenName} {claim.familyInitial}.
                        </span>
                      </summary>
                      <Form method="post" className="mt-2 space-y-2">
                        <input type="hidden" name="intent" value="reject" />
                        <input type="hidden" name="claimId" value={claim.id} />
                        <TextareaField
                          name={reasonField}
                          label={t("claims.staff.reason")}
                          hint={t("claims.staff.reasonHint")}
                          rows={2}
                          maxLength={500}
                          error={reasonError}
                        />
                        <button type="submit" className="rounded border-2 border-red-800 px-4 py-1 font-semibold text-red-900 hover:bg-red-50">
                          {t("claims.staff.rejectSubmit")}
                        </button>
                      </Form>
                    </details>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
