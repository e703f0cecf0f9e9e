import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ClientLoaderFunctionArgs } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Notice } from "~/components/activity-bits";
import { Bilingual, BilingualTitle, sessionWhen } from "~/components/session-code-bits";
import { badRequest, requireActor } from "~/modules/accounts/actor.server";
import { pendingClaimCount } from "~/modules/claims/claims.server";
import { resetSessionCodes, sessionCodePage, setClaimsNeedApproval } from "~/modules/claims/session-codes.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { withBothLanguages } from "~/modules/i18n/strings.client";
import { useTranslate } from "~/modules/i18n/use-translate";
import { intent, yes } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";
import { pick } from "~/modules/i18n/bilingual";

const STAFF = ["coordinator", "provider_owner", "provider_member"] as const;

// What the room reads is in both languages (session-code-bits.tsx).
// React in the browser (ADR 0042): the code renews itself without reloading, and goes full screen.
export const handle = { bothLanguages: true, hydrate: true };

export const clientLoader = ({ request, serverLoader }: ClientLoaderFunctionArgs) => withBothLanguages(request, () => serverLoader<typeof loader>());

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, STAFF);
  const origin = new URL(request.url).origin;
  const page = await sessionCodePage(db(), membership, params.sessionId ?? "", origin);
  const lang = await resolveLanguage(request);
  return data(
    {
      ...page,
      title: translator(lang)("sessionCode.title"),
      pendingClaims: await pendingClaimCount(db(), membership, page.session.id),
      host: new URL(request.url).host,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, STAFF);
  const sessionId = params.sessionId ?? "";
  const form = await readValues(request, { intent: intent(["reset", "approval"]), needApproval: yes });
  if (form.intent === "reset") {
    await resetSessionCodes(db(), membership, sessionId);
    throw redirect(`/provider/sessions/${sessionId}/code?done=reset`);
  }
  if (form.intent === "approval") {
    await setClaimsNeedApproval(db(), membership, sessionId, form.needApproval);
    throw redirect(`/provider/sessions/${sessionId}/code?done=approval`);
  }
  badRequest();
}

interface ScreenCode {
  url: string;
  qr: string;
  shortCode: string;
  nextChangeInMs: number;
  validForMs: number;
}

/**
 * Keeps the code fresh with script: asks the server for the next one each time it changes
 * (no reload), and says so plainly when it could not — a code more than a minute old no
 * longer works. Without script, the page's <noscript> refresh does the same job.
 */
function useRotatingCode(sessionId: string, initial: ScreenCode | null, initialPending: number) {
  const [code, setCode] = useState(initial);
  const [pendingClaims, setPendingClaims] = useState(initialPending);
  const [stale, setStale] = useState(false);
  const received = useRef(Date.now());
  useEffect(() => {
    setCode(initial);
    setPendingClaims(initialPending);
    received.current = Date.now();
    if (!initial) return;
    let timer: ReturnType<typeof setTimeout>;
    let cancelled = false;
    let validForMs = initial.validForMs;
    const schedule = (ms: number) => {
      timer = setTimeout(refresh, Math.max(1_000, ms + 250));
    };
    async function refresh() {
      try {
        const response = await fetch(`/provider/sessions/${sessionId}/code.json`, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as { code: ScreenCode | null; pendingClaims: number };
        if (cancelled) return;
        if (!next.code) {
          // The session stopped taking claims: the page itself says why.
          window.location.reload();
          return;
        }
        received.current = Date.now();
        validForMs = next.code.validForMs;
        setCode(next.code);
        setPendingClaims(next.pendingClaims);
        setStale(false);
        schedule(next.code.nextChangeInMs);
      } catch {
        if (cancelled) return;
        setStale(Date.now() - received.current > validForMs);
        schedule(5_000);
      }
    }
    schedule(initial.nextChangeInMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [sessionId, initial, initialPending]);
  return { code, stale, pendingClaims };
}

function FullScreenButton({ targetId }: { targetId: string }) {
  const { t } = useTranslate();
  const [available, setAvailable] = useState(false);
  useEffect(() => setAvailable(Boolean(document.fullscreenEnabled)), []);
  if (!available) return null;
  return (
    <button
      type="button"
      onClick={() => void document.getElementById(targetId)?.requestFullscreen?.()}
      className="rounded bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-900"
    >
      {t("sessionCode.fullScreen")}
    </button>
  );
}

export default function SessionCode() {
  const { t, lang } = useTranslate();
  const { session, state, code: initial, pendingClaims: initialPending, host } = useLoaderData<typeof loader>();
  // Claims arriving show in the count as the code refreshes.
  const { code, stale, pendingClaims } = useRotatingCode(session.id, initial, initialPending);
  const done = useSearchParams()[0].get("done");
  return (
    <div className="space-y-6">
      {initial ? (
        <noscript>
          <meta httpEquiv="refresh" content="30" />
        </noscript>
      ) : null}
      <p>
        <Link to={`/provider/sessions/${session.id}`}>{t("sessionCode.backToSession")}</Link>
      </p>
      {done === "reset" ? <Notice>{t("sessionCode.resetDone")}</Notice> : null}
      {done === "approval" ? <Notice>{t(session.claimsNeedApproval ? "sessionCode.approvalOn" : "sessionCode.approvalOff")}</Notice> : null}

      <section
        id="session-code"
        aria-labelledby="code-title"
        className="space-y-4 overflow-auto rounded border-4 border-slate-900 bg-white p-4 text-center text-slate-950 sm:p-8"
      >
        <h1 id="code-title" className="text-3xl font-bold sm:text-5xl">
          <BilingualTitle titleCy={session.title_cy} titleEn={session.title_en} />
        </h1>
        <p className="text-xl font-semibold sm:text-2xl">
          <span lang="cy" className="block">
            {sessionWhen("cy", session.startsAt, session.endsAt)}
          </span>
          <span lang="en" className="block">
            {sessionWhen("en", session.startsAt, session.endsAt)}
          </span>
        </p>
        <p className="text-lg">{pick({ en: session.providerNameEn, cy: session.providerNameCy }, lang)}</p>

        {state.state === "notStarted" ? (
          <div className="mx-auto max-w-2xl border-4 border-amber-700 bg-amber-50 p-3 text-lg font-semibold">
            <Bilingual k="sessionCode.notStartedYet" />
          </div>
        ) : null}

        {code ? (
          <>
            {/* On a wide screen the typed code stands beside the QR code, not below the fold. */}
            <div className="space-y-4 lg:grid lg:grid-cols-2 lg:items-center lg:gap-8 lg:space-y-0">
              <figure className="space-y-3" data-claim-url={code.url}>
                <img
                  src={code.qr}
                  alt={t("sessionCode.qrAlt")}
                  width={480}
                  height={480}
                  className="mx-auto block h-auto w-full max-w-[min(65vh,90vw)] [image-rendering:pixelated] lg:max-w-[min(50vh,100%)]"
                />
                <figcaption className="text-xl font-semibold sm:text-2xl">
                  <Bilingual k="sessionCode.scanInstruction" />
                </figcaption>
              </figure>
              <div className="space-y-1" data-typed-code>
                <Bilingual k="sessionCode.typeInstruction" values={{ address: `${host}/claim` }} className="text-lg" />
                <p className="font-mono text-5xl font-bold tracking-widest sm:text-6xl">{code.shortCode}</p>
              </div>
            </div>
            <Bilingual k="sessionCode.changes" className="text-base" />
            {stale ? (
              <p role="alert" className="mx-auto max-w-2xl border-4 border-red-700 bg-red-50 p-3 text-lg font-semibold text-red-900">
                {t("sessionCode.stale")}
              </p>
            ) : null}
          </>
        ) : (
          <p className="mx-auto max-w-2xl border-4 border-slate-700 bg-slate-50 p-4 text-xl font-semibold">
            {state.state === "closed" ? t("sessionCode.closed") : state.state === "refused" ? t(`credits.refusals.${state.reason}`) : null}
          </p>
        )}
      </section>

      <section aria-labelledby="staff-heading" className="space-y-4">
        <h2 id="staff-heading" className="text-2xl font-semibold">
          {t("sessionCode.forStaff")}
        </h2>
        <div className="flex flex-wrap items-center gap-4">
          {code ? <FullScreenButton targetId="session-code" /> : null}
          <Link to={`/provider/sessions/${session.id}/poster`} className="font-semibold">
            {t("sessionCode.posterLink")}
          </Link>
          <Link to={`/provider/claims?session=${session.id}`} className="font-semibold">
            {t("sessionCode.claimsWaiting", { count: pendingClaims })}
          </Link>
        </div>

        <Form method="post" className="max-w-2xl space-y-3 rounded border-2 border-slate-300 p-4">
          <input type="hidden" name="intent" value="approval" />
          <fieldset className="space-y-2">
            <legend className="font-semibold">{t("sessionCode.approvalQuestion")}</legend>
            <p id="approval-hint" className="text-sm text-slate-700">
              {t("sessionCode.approvalHint")}
            </p>
            {(["no", "yes"] as const).map((value) => (
              <div key={value} className="flex items-center gap-2">
                <input
                  id={`needApproval-${value}`}
                  type="radio"
                  name="needApproval"
                  value={value}
                  defaultChecked={session.claimsNeedApproval === (value === "yes")}
                  aria-describedby="approval-hint"
                  className="h-5 w-5"
                />
                <label htmlFor={`needApproval-${value}`}>{t(`sessionCode.approval.${value}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" className="rounded border-2 border-brand-700 px-4 py-1 font-semibold text-brand-800 hover:bg-brand-50">
            {t("sessionCode.approvalSave")}
          </button>
        </Form>

        <Form method="post" className="max-w-2xl space-y-2 rounded border-2 border-slate-300 p-4">
          <input type="hidden" name="intent" value="reset" />
          <h3 className="font-semibold">{t("sessionCode.resetTitle")}</h3>
          <p className="text-sm text-slate-700">{t("sessionCode.resetHint")}</p>
          <button type="submit" className="rounded border-2 border-red-800 px-4 py-1 font-semibold text-red-900 hover:bg-red-50">
            {t("sessionCode.resetButton")}
          </button>
        </Form>
      </section>
    </div>
  );
}
