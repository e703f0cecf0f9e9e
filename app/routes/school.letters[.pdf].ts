import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireActor } from "~/modules/accounts/actor.server";
import { publicOrigin } from "~/modules/accounts/links.server";
import { createLetters } from "~/modules/children/guardian-links.server";
import { guardianLettersPdf } from "~/modules/children/letters.server";
import { printFilterFields } from "~/modules/children/print-filter.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { yes } from "~/modules/forms/fields.server";
import { invalid, readForm } from "~/modules/forms/read-form.server";

export const loader = () => redirect("/school/passports");

/**
 * Letters for families, each with a new one-time link code (a POST: printing them cancels the
 * codes of any earlier letters for the same children).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["school"]);
  const parsed = await readForm(request, { ...printFilterFields, onlyWithoutGuardian: yes });
  if (!parsed.ok) return invalid(parsed); // every field has a fallback: not reached
  const letters = await createLetters(db(), membership, parsed.data);
  const area = await db().selectFrom("area").select(["name_en", "name_cy"]).where("id", "=", membership.areaId).executeTakeFirstOrThrow();
  const pdf = await guardianLettersPdf(letters, {
    origin: publicOrigin(),
    schoolName: membership.schoolName ?? "",
    areaNameEn: area.name_en,
    areaNameCy: area.name_cy,
  });
  return downloadResponse(pdf, "application/pdf", `pasbort-letters-${membership.schoolName ?? "school"}.pdf`);
}
