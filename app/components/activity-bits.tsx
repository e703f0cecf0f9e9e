import type { ReactNode } from "react";
import type { ActivityStatus, CostBand, Skill, ValidationStatus } from "~/modules/db/schema";
import { bilingualText, formatPrice } from "~/modules/activities/options";
import { formatClock, formatSessionDay } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

/** Small pieces shared by the directory, the provider's pages and the coordinator's queue. */

/** "Saturday 14 March, 10:00 to 12:00". */
export function SessionTime({ startsAt, endsAt, withYear }: { startsAt: Date | string; endsAt: Date | string; withYear?: boolean }) {
  const { t, lang } = useTranslate();
  return (
    <time dateTime={new Date(startsAt).toISOString()}>
      {t("sessions.when", { day: formatSessionDay(startsAt, lang, withYear), start: formatClock(startsAt), end: formatClock(endsAt) })}
    </time>
  );
}

export function CostText({ costBand, pricePence }: { costBand: CostBand; pricePence: number | null }) {
  const { t, lang } = useTranslate();
  if (costBand === "free" || !pricePence) return <>{t("costBands.free")}</>;
  return <>{t(`costBands.${costBand}WithPrice`, { price: formatPrice(pricePence, lang) })}</>;
}

export function AgesText({ minAge, maxAge }: { minAge: number | null; maxAge: number | null }) {
  const { t } = useTranslate();
  if (minAge !== null && maxAge !== null) return <>{t("activities.ages", { min: minAge, max: maxAge })}</>;
  if (minAge !== null) return <>{t("activities.agesFrom", { min: minAge })}</>;
  if (maxAge !== null) return <>{t("activities.agesUpTo", { max: maxAge })}</>;
  return <>{t("activities.allAges")}</>;
}

/** The skills an activity builds, as words in the page's language (the framework's order). */
export function SkillsText({ skills }: { skills: readonly Skill[] }) {
  const { t } = useTranslate();
  if (skills.length === 0) return <>{t("activities.noSkills")}</>;
  return <>{skills.map((skill) => t(`skills.${skill}`)).join(", ")}</>;
}

/** The activity's title in the page's language where it has one, marked with the language it is really in. */
export function ActivityTitle({ activity }: { activity: { title_en: string | null; title_cy: string | null } }) {
  const { lang } = useTranslate();
  const text = bilingualText(activity, lang);
  return <span lang={text.lang !== lang ? text.lang : undefined}>{text.title}</span>;
}

const STATUS_STYLES: Record<string, string> = {
  validated: "border-green-800 bg-green-50 text-green-900",
  pending: "border-slate-700 bg-slate-50 text-slate-900",
  changes_requested: "border-amber-800 bg-amber-50 text-amber-900",
  refused: "border-red-800 bg-red-50 text-red-900",
  suspended: "border-red-800 bg-red-50 text-red-900",
  withdrawn: "border-slate-700 bg-slate-50 text-slate-900",
  draft: "border-slate-700 bg-slate-50 text-slate-900",
  expired: "border-red-800 bg-red-50 text-red-900",
};

/** A status as a labelled tag: words, not colour alone. */
export function StatusTag({ status, expired }: { status: ValidationStatus | ActivityStatus; expired?: boolean }) {
  const { t } = useTranslate();
  const key = expired ? "expired" : status;
  return (
    <strong className={`inline-block rounded border px-2 py-0.5 text-sm font-semibold ${STATUS_STYLES[key] ?? ""}`}>{t(`validation.statuses.${key}`)}</strong>
  );
}

/** A definition list row. */
export function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="sm:flex sm:gap-4">
      <dt className="font-semibold sm:w-48 sm:shrink-0">{term}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

/** A success message after a form, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="border-l-4 border-green-700 bg-green-50 p-4 font-semibold">
      {children}
    </p>
  );
}
