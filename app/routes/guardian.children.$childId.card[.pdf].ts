import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";
import { singleCardPdf } from "~/modules/passports/cards.server";
import { cardsToPrint } from "~/modules/passports/passport.server";

/** One passport card as a PDF, for a guardian to print at home. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const { area, cards } = await cardsToPrint(db(), membership, publicOrigin(), { childId: params.childId ?? "" });
  const card = cards[0]!;
  const pdf = await singleCardPdf(card, area, await resolveLanguage(request));
  return downloadResponse(pdf, "application/pdf", `pasbort-${card.givenName}-${card.passportNumber}.pdf`);
}
