import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ClientLoaderFunctionArgs } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Bilingual, BilingualTitle, sessionWhen } from "~/components/session-code-bits";
import { requireActor } from "~/modules/accounts/actor.server";
import { sessionPosterPage } from "~/modules/claims/session-codes.server";
import { db } from "~/modules/db/db.server";
import { formatClock, formatSessionDay } from "~/modules/i18n/format";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { withBothLanguages } from "~/modules/i18n/strings.client";
import { useTranslate } from "~/modules/i18n/use-translate";
import posterPrint from "~/styles/poster-print.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: posterPrint }];

// What the room reads is in both languages (session-code-bits.tsx).
// React in the browser (ADR 0042): the print button.
export const handle = { bothLanguages: true, hydrate: true };

export const clientLoader = ({ request, serverLoader }: ClientLoaderFunctionArgs) => withBothLanguages(request, () => serverLoader<typeof loader>());

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} – Pasbort` : "Pasbort" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator", "provider_owner", "provider_member"]);
  const page = await sessionPosterPage(db(), membership, params.sessionId ?? "", new URL(request.url).origin);
  const lang = await resolveLanguage(request);
  return data(
    { ...page, title: translator(lang)("sessionPoster.title"), areaNameCy: membership.areaNameCy, areaNameEn: membership.areaNameEn },
    { headers: { "Cache-Control": "no-store" } },
  );
}

function PrintButton() {
  const { t } = useTranslate();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  if (!ready) return <p>{t("sessionPoster.printHint")}</p>;
  return (
    <button type="button" onClick={() => window.print()} className="rounded bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-900">
      {t("sessionPoster.print")}
    </button>
  );
}

/** When the poster's code works, in one language: one day, or across midnight. */
function validity(lang: "cy" | "en", from: string | Date, until: string | Date) {
  const fromDay = formatSessionDay(from, lang);
  const untilDay = formatSessionDay(until, lang);
  const times = { from: formatClock(from), until: formatClock(until) };
  return fromDay === untilDay
    ? translator(lang)("sessionPoster.validity", { ...times, day: fromDay })
    : translator(lang)("sessionPoster.validityDays", { ...times, fromDay, untilDay });
}

export default function SessionPoster() {
  const { t } = useTranslate();
  const { session, state, poster, validFrom, validUntil, areaNameCy, areaNameEn } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6 print:space-y-0">
      <div className="space-y-3 print:hidden">
        <p>
          <Link to={`/provider/sessions/${session.id}/code`}>{t("sessionPoster.backToCode")}</Link>
        </p>
        <h1 className="text-3xl font-bold">{t("sessionPoster.title")}</h1>
        {poster ? (
          <>
            <p className="max-w-prose">{t("sessionPoster.intro")}</p>
            <PrintButton />
          </>
        ) : (
          <p className="max-w-prose border-l-4 border-slate-700 bg-slate-50 p-4 font-semibold">
            {state.state === "refused" ? t(`credits.refusals.${state.reason}`) : t("sessionPoster.over")}
          </p>
        )}
      </div>

      {poster ? (
        <article
          aria-label={t("sessionPoster.title")}
          className="mx-auto max-w-[190mm] space-y-4 border-2 border-slate-400 bg-white p-6 text-center text-slate-950 print:max-w-none print:space-y-2 print:border-0 print:p-0"
          data-claim-url={poster.url}
        >
          <p className="text-lg font-semibold">
            <span lang="cy" className="block">
              {areaNameCy}
            </span>
            <span lang="en" className="block">
              {areaNameEn}
            </span>
          </p>
          <h2 className="text-4xl font-bold">
            <BilingualTitle titleCy={session.title_cy} titleEn={session.title_en} />
          </h2>
          <p className="text-xl">
            {session.providerNameCy && session.providerNameCy !== session.providerNameEn ? (
              <span lang="cy" className="block">
                {session.providerNameCy}
              </span>
            ) : null}
            <span lang="en" className="block">
              {session.providerNameEn}
            </span>
          </p>
          <p className="text-xl font-semibold">
            <span lang="cy" className="block">
              {sessionWhen("cy", session.startsAt, session.endsAt)}
            </span>
            <span lang="en" className="block">
              {sessionWhen("en", session.startsAt, session.endsAt)}
            </span>
          </p>
          <img src={poster.qr} alt={t("sessionCode.qrAlt")} width={420} height={420} className="mx-auto block h-auto w-[85mm] max-w-full" />
          <div className="space-y-1" data-poster-code>
            <Bilingual k="sessionCode.typeInstruction" values={{ address: poster.claimAddress }} className="text-lg" />
            <p className="font-mono text-4xl font-bold tracking-widest">{poster.shortCode}</p>
          </div>
          <div className="grid gap-6 text-left sm:grid-cols-2 print:grid-cols-2 print:gap-4">
            {(["cy", "en"] as const).map((lang) => (
              <div key={lang} lang={lang} className="space-y-2">
                <h3 className="text-xl font-bold">{translator(lang)("sessionPoster.howTitle")}</h3>
                <ol className="list-decimal space-y-1 pl-6 text-lg">
                  <li>{translator(lang)("sessionPoster.step1")}</li>
                  <li>{translator(lang)("sessionPoster.step2")}</li>
                  <li>{translator(lang)("sessionPoster.step3")}</li>
                </ol>
              </div>
            ))}
          </div>
          <div className="border-t-2 border-slate-300 pt-3 text-base font-semibold">
            <p lang="cy">{validity("cy", validFrom, validUntil)}</p>
            <p lang="en">{validity("en", validFrom, validUntil)}</p>
          </div>
          <Bilingual k="sessionPoster.noAccount" className="text-sm" />
        </article>
      ) : null}
    </div>
  );
}
