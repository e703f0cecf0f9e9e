import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { translator, type Language, type TranslationKey } from "~/modules/i18n/i18n";
import { formatClock, formatSessionDay } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

/**
 * What families read on a projected code or a printed poster is in both languages, Welsh
 * first, whatever the organiser's own page language: the room holds both.
 */
export function Bilingual({
  k,
  values,
  className,
  as = "p",
}: {
  k: TranslationKey;
  values?: Record<string, unknown>;
  className?: string;
  as?: "p" | "li" | "span";
}) {
  const Tag = as;
  return (
    <>
      {(["cy", "en"] as const).map((lang) => (
        <Tag key={lang} lang={lang} className={`${className ?? ""} ${lang === "en" ? "text-slate-800" : ""}`}>
          {translator(lang)(k, values)}
        </Tag>
      ))}
    </>
  );
}

/** "Dydd Sadwrn 14 Mawrth, 10:00 i 12:00" in the given language. */
export function sessionWhen(lang: Language, startsAt: Date | string, endsAt: Date | string) {
  return translator(lang)("sessions.when", { day: formatSessionDay(startsAt, lang), start: formatClock(startsAt), end: formatClock(endsAt) });
}

/** A title in one language with the other beneath it, when the activity has both. */
export function BilingualTitle({ titleCy, titleEn, children }: { titleCy: string | null; titleEn: string | null; children?: ReactNode }) {
  return (
    <>
      <span lang={titleCy ? "cy" : "en"} className="block">
        {titleCy ?? titleEn}
      </span>
      {titleCy && titleEn && titleCy !== titleEn ? (
        <span lang="en" className="block text-[0.7em] font-semibold">
          {titleEn}
        </span>
      ) : null}
      {children}
    </>
  );
}

/** On a session's staff page: the way to its claim code, its poster, and the claims waiting. */
export function SessionCodeLinks({ sessionId, pendingClaims }: { sessionId: string; pendingClaims: number }) {
  const t = useTranslate().t;
  return (
    <nav aria-label={t("sessionCode.linksLabel")}>
      <ul className="flex flex-wrap gap-x-6 gap-y-2">
        <li>
          <Link to={`/provider/sessions/${sessionId}/code`} className="font-semibold">
            {t("sessionCode.showCode")}
          </Link>
        </li>
        <li>
          <Link to={`/provider/sessions/${sessionId}/poster`}>{t("sessionCode.posterLink")}</Link>
        </li>
        <li>
          <Link to={`/provider/claims?session=${sessionId}`}>{t("sessionCode.claimsWaiting", { count: pendingClaims })}</Link>
        </li>
      </ul>
    </nav>
  );
}
