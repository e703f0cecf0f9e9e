import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { printFilter } from "~/modules/children/print-filter.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { cardSheetPdf } from "~/modules/passports/cards.server";
import { cardsToPrint } from "~/modules/passports/passport.server";

/** A4 sheets of passport cards for the school's pupils: all, a year group or a class. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  const filter = printFilter(new URL(request.url).searchParams);
  const { area, cards } = await cardsToPrint(db(), membership, publicOrigin(), filter);
  const title = [membership.schoolName, filter.className, filter.yearGroup !== null ? `Y${filter.yearGroup}` : null].filter(Boolean).join(" – ");
  const pdf = await cardSheetPdf(cards, area, await resolveLanguage(request), `Pasbort – ${title}`);
  return downloadResponse(pdf, "application/pdf", `pasbort-cards-${title}.pdf`);
}
