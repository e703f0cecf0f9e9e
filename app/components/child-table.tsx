import { Link } from "@remix-run/react";
import { formatMonth } from "~/modules/i18n/format";
import { useTranslate } from "~/modules/i18n/use-translate";

export interface ChildRow {
  id: string;
  given_name: string;
  family_name: string;
  passport_number: string;
  birth_year: number;
  birth_month: number;
  school_name: string | null;
  quarter_hours?: number | null;
}

/** Children as a table that reads well aloud and scrolls sideways on a narrow screen. */
export function ChildTable({
  rows,
  caption,
  linkPrefix = "/children",
  showHours = false,
}: {
  rows: ChildRow[];
  caption: string;
  linkPrefix?: string;
  showHours?: boolean;
}) {
  const { t, lang } = useTranslate();
  return (
    <div className="overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
      <table className="min-w-full border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b-2 border-slate-700">
            <th scope="col" className="py-2 pr-4">
              {t("homes.child")}
            </th>
            <th scope="col" className="py-2 pr-4">
              {t("homes.passportNumber")}
            </th>
            <th scope="col" className="py-2 pr-4">
              {t("homes.born")}
            </th>
            <th scope="col" className="py-2 pr-4">
              {t("homes.schoolColumn")}
            </th>
            {showHours ? (
              <th scope="col" className="py-2 pr-4">
                {t("homes.hoursColumn")}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((child) => (
            <tr key={child.id} className="border-b border-slate-300">
              <th scope="row" className="py-2 pr-4 font-normal">
                <Link to={`${linkPrefix}/${child.id}`}>
                  {child.given_name} {child.family_name}
                </Link>
              </th>
              <td className="py-2 pr-4 font-mono">{child.passport_number}</td>
              <td className="py-2 pr-4">{formatMonth(child.birth_year, child.birth_month, lang)}</td>
              <td className="py-2 pr-4">{child.school_name}</td>
              {showHours ? <td className="py-2 pr-4">{t("common.hours", { count: (child.quarter_hours ?? 0) / 4 })}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
