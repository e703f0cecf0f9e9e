import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { SessionPageHeader } from "~/components/session-page-header";
import { ErrorSummary } from "~/components/forms";
import { requireActor } from "~/modules/accounts/actor.server";
import { sessionForStaff } from "~/modules/accounts/homes.server";
import { creditRoster, rosterFor, type RosterResult } from "~/modules/credits/session-roster.server";
import { sessionOpenness, SCAN_ROLES } from "~/modules/credits/session-scan.server";
import { db } from "~/modules/db/db.server";
import { translator } from "~/modules/i18n/i18n";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { listField } from "~/modules/forms/fields.server";
import { readValues } from "~/modules/forms/read-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.pageTitle} – Pasbort` : "Pasbort" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, SCAN_ROLES);
  const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
  const lang = await resolveLanguage(request);
  return {
    pageTitle: translator(lang)("sessionRoster.title"),
    session,
    openness: await sessionOpenness(db(), membership.areaId, session.id),
    children: await rosterFor(db(), membership, session),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, SCAN_ROLES);
  const session = await sessionForStaff(db(), membership, params.sessionId ?? "");
  const { child: ticked } = await readValues(request, { child: listField });
  if (ticked.length === 0) return data({ results: [] as RosterResult[], formError: "sessionRoster.errors.noneTicked" as string | null }, { status: 400 });
  return { results: await creditRoster(db(), membership, session, ticked), formError: null as string | null };
}

const RESULT_STYLE = {
  issued: { icon: "✓", className: "border-green-700 bg-green-50" },
  already: { icon: "✓", className: "border-slate-500 bg-slate-50" },
  refused: { icon: "✕", className: "border-red-700 bg-red-50" },
} as const;

export default function SessionRoster() {
  const { t } = useTranslate();
  const { session, openness, children } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const results = answer?.results ?? [];
  const count = (status: RosterResult["status"]) => results.filter((result) => result.status === status).length;

  // After giving credits, move to the results so a screen reader reads them first.
  useEffect(() => {
    if (answer?.results.length) resultsHeading.current?.focus();
  }, [answer]);

  return (
    <div className="space-y-6">
      <SessionPageHeader title={t("sessionRoster.title")} session={session} openness={openness} />

      {results.length > 0 ? (
        <section aria-labelledby="results-heading" className="space-y-3">
          <h2
            id="results-heading"
            ref={resultsHeading}
            tabIndex={-1}
            // Shown only after credits were given; on the page without React the browser focuses it (ADR 0042).
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the answer to what the person just did
            autoFocus
            className="text-2xl font-semibold focus:outline-none"
          >
            {t("sessionRoster.resultsTitle")}
          </h2>
          <ul className="space-y-1">
            {count("issued") ? <li className="font-semibold">{t("sessionRoster.summary.issued", { count: count("issued") })}</li> : null}
            {count("already") ? <li className="font-semibold">{t("sessionRoster.summary.already", { count: count("already") })}</li> : null}
            {count("refused") ? <li className="font-semibold text-red-800">{t("sessionRoster.summary.refused", { count: count("refused") })}</li> : null}
          </ul>
          <ul className="space-y-2">
            {results.map((result) => (
              <li key={result.childId} className={`border-l-8 p-3 ${RESULT_STYLE[result.status].className}`}>
                <span aria-hidden="true" className="mr-2 font-bold">
                  {RESULT_STYLE[result.status].icon}
                </span>
                <span className="font-semibold">
                  {result.givenName} {result.familyName}
                </span>
                {": "}
                {result.status === "refused" ? t(`credits.refusals.${result.code}`) : t(`sessionRoster.result.${result.status}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {children.length === 0 ? (
        <p className="max-w-prose">{t("sessionRoster.empty")}</p>
      ) : (
        <Form method="post" className="space-y-4" noValidate>
          <ErrorSummary formError={answer?.formError} />
          <fieldset className="space-y-2">
            <legend className="text-2xl font-semibold">{t("sessionRoster.legend")}</legend>
            <p className="max-w-prose text-slate-700">{t("sessionRoster.hint")}</p>
            <ul className="divide-y divide-slate-300 border-y border-slate-300">
              {children.map((child) => (
                <li key={child.id}>
                  {child.credited ? (
                    <p className="flex min-h-12 items-center gap-3 px-1 py-2">
                      <span aria-hidden="true" className="w-6 text-center font-bold text-green-800">
                        ✓
                      </span>
                      <span>
                        {child.givenName} {child.familyName} <span className="text-sm font-semibold text-green-900">({t("sessionRoster.credited")})</span>
                      </span>
                    </p>
                  ) : (
                    <label htmlFor={`child-${child.id}`} className="flex min-h-12 cursor-pointer items-center gap-3 px-1 py-2 hover:bg-slate-50">
                      <input id={`child-${child.id}`} type="checkbox" name="child" value={child.id} className="h-6 w-6 shrink-0" />
                      <span>
                        {child.givenName} {child.familyName}
                      </span>
                    </label>
                  )}
                </li>
              ))}
            </ul>
          </fieldset>
          <button
            type="submit"
            disabled={navigation.state === "submitting"}
            className="min-h-14 w-full rounded bg-brand-700 px-5 py-3 text-lg font-semibold text-white hover:bg-brand-900 disabled:opacity-70 sm:w-auto"
          >
            {t("sessionRoster.submit")}
          </button>
        </Form>
      )}
      <p>
        <Link to={`/provider/sessions/${session.id}/scan`}>{t("sessionCredits.links.scan")}</Link>
      </p>
    </div>
  );
}
