import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requireActor } from "~/modules/accounts/actor.server";
import { exportChildData } from "~/modules/children/data-rights.server";
import { db } from "~/modules/db/db.server";
import { formatDate, formatDateTime, formatMonth } from "~/modules/i18n/format";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { useTranslate } from "~/modules/i18n/use-translate";
import { titled } from "~/modules/i18n/page-title";
import { pick } from "~/modules/i18n/bilingual";

export const meta = titled<typeof loader>((t, data) => t("dataRights.data.title", { name: data.data.child.givenName }));

/** Everything held about a child, readable (and printable), with the JSON download beside it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const [data, lang] = await Promise.all([exportChildData(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  // Dates are written here: a browser without Welsh locale data would otherwise show English.
  const text = {
    born: formatMonth(data.child.birthYear, data.child.birthMonth, lang),
    cardIssued: formatDate(data.child.passportCardIssuedAt, lang),
    registered: formatDateTime(data.child.registeredAt, lang),
    consents: data.consents.map((consent) => formatDateTime(consent.givenAt, lang)),
    guardians: data.guardians.map((guardian) => formatDate(guardian.linkedAt, lang)),
    credits: data.credits.map((credit) => formatDate(credit.date, lang)),
    keptUntil: formatDate(data.retention.keptUntilWithoutActivity, lang),
    awards: data.awards.map((award) => formatDate(award.reachedOn, lang)),
    certificates: data.certificates.map((certificate) => formatDate(certificate.issuedAt, lang)),
    graduations: data.graduations.map((graduation) => formatDate(graduation.heldOn, lang)),
    claims: data.sessionCodeClaims.map((claim) => formatDate(claim.claimedAt, lang)),
    signInCards: data.childSignInCards.map((card) => ({
      made: formatDate(card.madeAt, lang),
      last: card.lastSignedInAt ? formatDateTime(card.lastSignedInAt, lang) : null,
      revoked: card.revokedAt ? formatDate(card.revokedAt, lang) : null,
    })),
  };
  return { childId: params.childId!, data, text };
}

/** One part of the record: a section named by its heading, for screen readers' section lists. */
function DataSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="mb-3 text-2xl font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-semibold">{term}</dt>
      <dd className="mb-2">{children}</dd>
    </>
  );
}

export default function ChildData() {
  const { t, lang } = useTranslate();
  const { childId, data, text } = useLoaderData<typeof loader>();
  const { child } = data;
  const yesNo = (value: boolean | null) => (value === null ? t("dataRights.data.notSaid") : value ? t("children.equity.yes") : t("children.equity.no"));
  return (
    <div className="max-w-3xl space-y-8">
      <p>
        <Link to={`/guardian/children/${childId}`}>{t("passport.backToPassport", { name: child.givenName })}</Link>
      </p>
      <h1 className="text-3xl font-bold">{t("dataRights.data.title", { name: child.givenName })}</h1>
      <p>{t("dataRights.data.intro", { area: pick(data.heldBy, lang) })}</p>
      <p>
        <a href={`/guardian/children/${childId}/data.json`} download className="font-semibold">
          {t("dataRights.data.downloadJson")}
        </a>
      </p>
      <p>
        <a href={`/guardian/children/${childId}/summary.pdf`} download className="font-semibold">
          {t("dataRights.downloadSummary")}
        </a>
      </p>

      <DataSection id="details" title={t("dataRights.data.details")}>
        <dl className="sm:grid sm:grid-cols-[14rem_1fr] sm:gap-x-4">
          <Row term={t("children.details.givenName")}>{child.givenName}</Row>
          <Row term={t("children.details.familyName")}>{child.familyName}</Row>
          <Row term={t("homes.born")}>{text.born}</Row>
          <Row term={t("homes.passportNumber")}>
            <span className="font-mono">{child.passportNumber}</span>
          </Row>
          <Row term={t("dataRights.data.cardIssued")}>{text.cardIssued}</Row>
          <Row term={t("children.details.language")}>{child.preferredLanguage === "cy" ? "Cymraeg" : "English"}</Row>
          <Row term={t("children.details.school")}>{child.school ?? t("children.details.schoolNotListed")}</Row>
          {child.schoolPupilReference ? <Row term={t("dataRights.data.pupilRef")}>{child.schoolPupilReference}</Row> : null}
          {child.yearGroup !== null ? (
            <Row term={t("dataRights.data.yearGroup")}>{child.yearGroup === 0 ? t("dataRights.data.reception") : child.yearGroup}</Row>
          ) : null}
          {child.className ? <Row term={t("dataRights.data.className")}>{child.className}</Row> : null}
          <Row term={t("dataRights.data.home")}>
            {child.homeNeighbourhood
              ? `${child.homeNeighbourhood.name}, ${child.homeNeighbourhood.localAuthority} (${child.homeNeighbourhood.lsoaCode})`
              : t("children.home.outside")}
          </Row>
          <Row term={t("dataRights.data.registered")}>{text.registered}</Row>
        </dl>
        <p className="text-sm text-slate-700">{t("dataRights.data.noPostcode")}</p>
      </DataSection>

      <DataSection id="equity" title={t("children.equity.title")}>
        {child.equityDetails ? (
          <dl className="sm:grid sm:grid-cols-[14rem_1fr] sm:gap-x-4">
            <Row term={t("children.equity.efsm")}>{yesNo(child.equityDetails.freeSchoolMeals)}</Row>
            <Row term={t("children.equity.aln")}>{yesNo(child.equityDetails.additionalLearningNeeds)}</Row>
            <Row term={t("children.equity.careExperienced")}>{yesNo(child.equityDetails.careExperienced)}</Row>
            <Row term={t("children.equity.youngCarer")}>{yesNo(child.equityDetails.youngCarer)}</Row>
          </dl>
        ) : (
          <p>{t("dataRights.data.noEquity")}</p>
        )}
      </DataSection>

      <DataSection id="consents" title={t("dataRights.data.consents")}>
        <ul className="list-disc space-y-1 pl-6">
          {data.consents.map((consent, index) => (
            <li key={index}>
              {t(`dataRights.data.consentPurpose.${consent.purpose}`)} — {t(`dataRights.data.consentMethod.${consent.method}`)}, {text.consents[index]} (
              {t("dataRights.data.version", { version: consent.version })})
            </li>
          ))}
        </ul>
      </DataSection>

      <DataSection id="guardians" title={t("guardians.title")}>
        <ul className="list-disc space-y-1 pl-6">
          {data.guardians.map((guardian, index) => (
            <li key={index}>
              {guardian.name}
              {guardian.you ? ` (${t("guardians.you")})` : ""} — {text.guardians[index]}
            </li>
          ))}
        </ul>
      </DataSection>

      <DataSection id="credits" title={t("passport.stampsHeading")}>
        {data.credits.length === 0 ? (
          <p>{t("passport.noStamps")}</p>
        ) : (
          <div className="overflow-x-auto" role="region" aria-labelledby="credits-heading" tabIndex={0}>
            <table className="min-w-full border-collapse text-left">
              <thead>
                <tr className="border-b-2 border-slate-700">
                  <th scope="col" className="py-2 pr-4">
                    {t("dataRights.data.date")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("dataRights.data.activity")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("dataRights.data.provider")}
                  </th>
                  <th scope="col" className="py-2 pr-4">
                    {t("dataRights.data.hours")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.credits.map((credit, index) => (
                  <tr key={index} className="border-b border-slate-300">
                    <td className="py-2 pr-4">{text.credits[index]}</td>
                    <td className="py-2 pr-4">
                      {pick(credit.activity, lang)}
                      {credit.revoked ? ` — ${t("dataRights.data.revoked", { reason: credit.revoked.reason ?? "" })}` : ""}
                    </td>
                    <td className="py-2 pr-4">{pick(credit.provider, lang)}</td>
                    <td className="py-2 pr-4">{credit.hours}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DataSection>

      <DataSection id="awards" title={t("dataRights.data.awards")}>
        {data.awards.length + data.certificates.length + data.graduations.length === 0 ? (
          <p>{t("dataRights.data.noAwards")}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-6">
            {data.awards.map((award, index) => (
              <li key={`award-${index}`}>{t("dataRights.data.awardLine", { award: award.award[lang], hours: award.hours, date: text.awards[index] })}</li>
            ))}
            {data.certificates.map((certificate, index) => (
              <li key={`certificate-${index}`}>
                {t("dataRights.data.certificateLine", { serial: certificate.serial, date: text.certificates[index] })} — {certificate.award[lang]}
                {certificate.revoked ? ` — ${t("dataRights.data.certificateRevoked", { reason: certificate.revoked.reason ?? "" })}` : ""}
              </li>
            ))}
            {data.graduations.map((graduation, index) => (
              <li key={`graduation-${index}`}>
                {t("dataRights.data.graduationLine", {
                  name: graduation.name,
                  date: text.graduations[index],
                  attended: t(graduation.attended ? "dataRights.data.attended" : "dataRights.data.notAttended"),
                })}
              </li>
            ))}
          </ul>
        )}
      </DataSection>

      <DataSection id="claims" title={t("dataRights.data.claims")}>
        {data.sessionCodeClaims.length === 0 ? (
          <p>{t("dataRights.data.noClaims")}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-6">
            {data.sessionCodeClaims.map((claim, index) => (
              <li key={index}>
                {t("dataRights.data.claimLine", {
                  date: text.claims[index],
                  activity: pick(claim.activity, lang),
                  status: t(`dataRights.data.claimStatus.${claim.status}`),
                })}
              </li>
            ))}
          </ul>
        )}
      </DataSection>

      <DataSection id="sign-in-cards" title={t("dataRights.data.childSignIn")}>
        {text.signInCards.length === 0 ? (
          <p>{t("dataRights.data.noChildSignIn")}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-6">
            {text.signInCards.map((card, index) => (
              <li key={index}>
                {t("dataRights.data.childSignInLine", {
                  made: card.made,
                  last: card.last ?? t("dataRights.data.childSignInNever"),
                  state: card.revoked ? t("dataRights.data.childSignInStopped", { when: card.revoked }) : t("dataRights.data.childSignInInUse"),
                })}
              </li>
            ))}
          </ul>
        )}
      </DataSection>

      <DataSection id="child-voice" title={t("dataRights.data.childVoice")}>
        <p>{t("dataRights.data.childVoiceCounts", { ratings: data.ratings.length, wishes: data.wouldLikeToTry.length })}</p>
      </DataSection>

      <DataSection id="retention" title={t("dataRights.data.retention")}>
        <p>{t("dataRights.data.retentionText", { date: text.keptUntil })}</p>
        {data.passportCardsReplaced.length ? <p>{t("dataRights.data.cardsReplaced", { count: data.passportCardsReplaced.length })}</p> : null}
      </DataSection>
    </div>
  );
}
