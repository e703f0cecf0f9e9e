import { Link } from "@remix-run/react";
import { useTranslate } from "~/modules/i18n/use-translate";

/** Previous and next links between pages of a list (plain links: no JavaScript needed). */
export function Pagination({ page, pageCount, hrefFor }: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  const { t } = useTranslate();
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t("pagination.label")}>
      <ul className="flex flex-wrap gap-6">
        {page > 1 ? (
          <li>
            <Link to={hrefFor(page - 1)} rel="prev">
              {t("pagination.previous")}
            </Link>
          </li>
        ) : null}
        {page < pageCount ? (
          <li>
            <Link to={hrefFor(page + 1)} rel="next">
              {t("pagination.next")}
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
