import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { createLetters } from "~/modules/children/guardian-links.server";
import { guardianLettersPdf } from "~/modules/children/letters.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

export const loader = () => redirect("/coordinator/transfer");

/**
 * Letters for the families of the children received from another Children's University who
 * have no guardian linked here yet (ADR 0036), each with a new one-time link code (a POST:
 * printing them cancels the codes of any earlier letters for the same children).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const letters = await createLetters(db(), membership, { onlyWithoutGuardian: true });
  const area = await db().selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", membership.areaId).executeTakeFirstOrThrow();
  const pdf = await guardianLettersPdf(letters, {
    origin: publicOrigin(),
    schoolName: `${area.name_cy} · ${area.name_en}`,
    areaNameEn: area.name_en,
    areaNameCy: area.name_cy,
  });
  return downloadResponse(pdf, "application/pdf", "pasbort-letters-transferred.pdf");
}
