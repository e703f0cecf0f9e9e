import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ActivityTitle, SessionTime } from "~/components/activity-bits";
import { ErrorSummary, FieldError, SubmitButton } from "~/components/forms";
import { loadActor, requireActor } from "~/modules/accounts/actor.server";
import { providerName } from "~/modules/activities/options";
import { openClaim, submitClaim, type ChildClaimResult } from "~/modules/claims/claims.server";
import { refusalKey } from "~/modules/claims/refusals";
import { decodeToken } from "~/modules/claims/session-code-token.server";
import { db } from "~/modules/db/db.server";
import { formatClock } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";
import { listField } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { titled } from "~/modules/i18n/page-title";

// Claim addresses stay out of search engines.
export const meta = titled("claims.title", [{ name: "robots", content: "noindex" }]);

const NO_STORE = { "Cache-Control": "no-store" };

const REFUSED_STATUS = { CODE_INVALID: 404, CODE_EXPIRED: 410, SESSION_NOT_STARTED: 409, OTHER_AREA: 403 } as const;

/**
 * Where a session's QR code leads. Signed out: only a sign-in prompt that comes back here —
 * nothing is looked up. A guardian with a valid code moves on to a ticket address of their
 * own (good for 20 minutes) and picks which of their children were there.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!context.signedIn) return data({ kind: "signedOut" as const }, { headers: NO_STORE });
  const actor = await loadActor(db(), context.signedIn);
  const membership = actor.membership;
  if (membership?.role !== "guardian") {
    const canSwitch = actor.memberships.some((m) => m.role === "guardian");
    return data({ kind: "notGuardian" as const, canSwitch }, { status: 403, headers: NO_STORE });
  }
  const opened = await openClaim(db(), membership, params.token);
  if (opened.kind === "ticket") throw redirect(`/claim/${opened.ticket}`, { headers: NO_STORE });
  if (opened.kind === "refused") {
    const fromTicket = decodeToken(params.token)?.kind === "ticket";
    return data({ ...opened, fromTicket }, { status: REFUSED_STATUS[opened.reason], headers: NO_STORE });
  }
  return data(opened, { headers: NO_STORE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const { child: childIds } = await readValues(request, { child: listField });
  const result = await submitClaim(db(), membership, params.token, childIds);
  if (!result.ok) {
    const error = result.reason === "NO_CHILD" ? { field: "child", key: "claims.errors.pickChild" } : { field: null, key: `claims.errors.${result.reason}` };
    return data({ ok: false as const, error }, { status: result.reason === "NO_CHILD" ? 400 : 410, headers: NO_STORE });
  }
  return data({ ok: true as const, needsApproval: result.needsApproval, results: result.results }, { headers: NO_STORE });
}

function ResultLine({ result }: { result: ChildClaimResult }) {
  const { t } = useTranslate();
  const name = result.givenName;
  switch (result.outcome) {
    case "added":
      return (
        <>
          <strong>{name}:</strong> {t("claims.results.added", { hours: t("common.hours", { count: result.quarterHours / 4 }) })}{" "}
          {t("claims.results.total", { hours: t("common.hours", { count: result.totalQuarterHours / 4 }) })}
        </>
      );
    case "already":
      return (
        <>
          <strong>{name}:</strong> {t("claims.results.already")}
        </>
      );
    case "pending":
      return (
        <>
          <strong>{name}:</strong> {t("claims.results.pending")}
        </>
      );
    case "refused":
      return (
        <>
          <strong>{name}:</strong> {t("claims.results.notAdded")} {t(refusalKey(result.code))}
          {result.reason ? <span className="block">{t("claims.reasonGiven", { reason: result.reason })}</span> : null}
        </>
      );
  }
}

function Results({ results, needsApproval }: { results: ChildClaimResult[]; needsApproval: boolean }) {
  const { t } = useTranslate();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [results]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      // Shown only after the claim was sent; on the page without React the browser focuses it (ADR 0042).
      // eslint-disable-next-line jsx-a11y/no-autofocus -- focus on the answer to what the person just did
      autoFocus
      aria-labelledby="results-heading"
      className="space-y-2 border-4 border-brand-700 bg-brand-50 p-4 focus:outline-none"
    >
      <h2 id="results-heading" className="text-xl font-bold">
        {t("claims.results.title")}
      </h2>
      <div role="status">
        <ul className="space-y-2">
          {results.map((result) => (
            <li key={result.childId}>
              <ResultLine result={result} />
            </li>
          ))}
        </ul>
      </div>
      {needsApproval && results.some((result) => result.outcome === "pending") ? <p>{t("claims.results.pendingHint")}</p> : null}
      <p>
        <Link to="/guardian" className="font-semibold">
          {t("claims.backHome")}
        </Link>
      </p>
    </section>
  );
}

function SignedOut() {
  const { t } = useTranslate();
  const location = useLocation();
  return (
    <div className="max-w-xl space-y-5">
      <h1 className="text-3xl font-bold">{t("claims.signedOutTitle")}</h1>
      <p>{t("claims.signedOut")}</p>
      <p>
        <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`} className="text-lg font-semibold">
          {t("layout.signIn")}
        </Link>
      </p>
      <p>
        {t("claims.noAccount")} <Link to="/register">{t("claims.register")}</Link>
      </p>
      <p className="text-sm text-slate-700">{t("claims.signedOutHint")}</p>
    </div>
  );
}

export default function Claim() {
  const { t, lang } = useTranslate();
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();

  if (page.kind === "signedOut") return <SignedOut />;
  if (page.kind === "notGuardian") {
    return (
      <div className="max-w-xl space-y-4">
        <h1 className="text-3xl font-bold">{t("claims.notGuardianTitle")}</h1>
        <p>{t("claims.notGuardian")}</p>
        {page.canSwitch ? (
          <p>
            <Link to="/account">{t("claims.switchRole")}</Link>
          </p>
        ) : null}
      </div>
    );
  }
  if (page.kind === "refused") {
    const which = page.reason === "CODE_EXPIRED" && page.fromTicket ? "TIMED_OUT" : page.reason;
    return (
      <div className="max-w-xl space-y-4">
        <h1 className="text-3xl font-bold">{t(`claims.refused.${which}.title`)}</h1>
        {page.session ? (
          <p className="text-lg">
            <ActivityTitle activity={page.session} /> · <SessionTime startsAt={page.session.startsAt} endsAt={page.session.endsAt} />
          </p>
        ) : null}
        <p>{t(`claims.refused.${which}.body`, { start: page.session ? formatClock(page.session.startsAt) : "" })}</p>
        <p>
          <Link to="/guardian">{t("claims.backHome")}</Link>
        </p>
      </div>
    );
  }

  const { session, children, needsApproval, state } = page;
  const results = actionData?.ok ? actionData.results : null;
  const error = actionData && !actionData.ok ? actionData.error : null;
  const available = children.filter((child) => child.claim.status === "available");
  // The children just claimed are in the results above: not listed a second time as "already claimed".
  const done = children.filter((child) => child.claim.status !== "available" && !results?.some((result) => result.childId === child.id));
  const closedReason =
    state.state === "notStarted" ? "SESSION_NOT_STARTED" : state.state === "closed" ? "SESSION_CLOSED" : state.state === "refused" ? state.reason : null;
  return (
    <div className="max-w-2xl space-y-6">
      <h1 className="text-3xl font-bold">{t("claims.title")}</h1>
      <div className="space-y-1 text-lg">
        <p className="text-2xl font-semibold">
          <ActivityTitle activity={session} />
        </p>
        <p>{providerName({ name_en: session.providerNameEn, name_cy: session.providerNameCy }, lang)}</p>
        <p>
          <SessionTime startsAt={session.startsAt} endsAt={session.endsAt} />
        </p>
      </div>

      {results ? <Results results={results} needsApproval={actionData?.ok ? actionData.needsApproval : false} /> : null}
      <ErrorSummary errors={error?.field ? { [error.field]: error.key } : undefined} formError={error && !error.field ? error.key : undefined} />

      {closedReason ? (
        <p className="border-l-4 border-slate-700 bg-slate-50 p-4 font-semibold">{t(refusalKey(closedReason))}</p>
      ) : children.length === 0 ? (
        <div className="space-y-2">
          <p>{t("claims.noChildren")}</p>
          <p>
            <Link to="/guardian/children/new">{t("children.new.link")}</Link>
          </p>
        </div>
      ) : available.length > 0 ? (
        <Form method="post" className="space-y-5" noValidate>
          <fieldset
            className={`space-y-3 ${error?.field ? "border-l-4 border-red-700 pl-3" : ""}`}
            aria-describedby={["claim-hint", error?.field ? "child-error" : null].filter(Boolean).join(" ")}
          >
            <legend className="text-xl font-semibold">{t("claims.whoWasThere")}</legend>
            <p id="claim-hint" className="text-slate-700">
              {t(needsApproval ? "claims.hintApproval" : "claims.hint")}
            </p>
            <FieldError name="child" error={error?.field ? error.key : null} />
            {available.map((child, index) => {
              const id = index === 0 ? "child" : `child-${child.id}`;
              return (
                <div key={child.id} className="flex items-center gap-3">
                  <input
                    id={id}
                    // Sent here by a code (scanned or typed): focus goes on to the next field, the
                    // first child to tick, not the top of the page; the browser does it (ADR 0042).
                    // eslint-disable-next-line jsx-a11y/no-autofocus -- the field the person came to fill
                    autoFocus={index === 0 && !actionData}
                    type="checkbox"
                    name="child"
                    value={child.id}
                    className="h-7 w-7 shrink-0"
                  />
                  <label htmlFor={id} className="py-1 text-lg">
                    {child.givenName} {child.familyName}
                  </label>
                </div>
              );
            })}
          </fieldset>
          <SubmitButton>{t(needsApproval ? "claims.submitApproval" : "claims.submit")}</SubmitButton>
        </Form>
      ) : null}

      {done.length > 0 ? (
        <section aria-labelledby="done-heading" className="space-y-2">
          <h2 id="done-heading" className="text-xl font-semibold">
            {t("claims.doneTitle")}
          </h2>
          <ul className="space-y-2">
            {done.map((child) => (
              <li key={child.id}>
                <strong>
                  {child.givenName} {child.familyName}:
                </strong>{" "}
                {child.claim.status === "credited" ? (
                  t("claims.status.credited")
                ) : child.claim.status === "pending" ? (
                  t("claims.status.pending")
                ) : child.claim.status === "refused" ? (
                  <>
                    {t("claims.results.notAdded")} {t(refusalKey(child.claim.code))}
                    {child.claim.reason ? <span className="block">{t("claims.reasonGiven", { reason: child.claim.reason })}</span> : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
