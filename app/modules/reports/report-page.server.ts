import type { AppLoadContext } from "@remix-run/node";
import { requireActor } from "../accounts/actor.server";
import { ukDate } from "../activities/uk-time.server";
import type { Role } from "../db/schema";
import { db } from "../db/db.server";
import { translator, type TranslationKey } from "../i18n/i18n";
import { resolveLanguage } from "../i18n/language.server";

/**
 * What the equity and impact report pages start with: the reader (one of `roles`, else refused
 * by the one gate), the page's title in their language (for its meta), the area's name and
 * today's date in Wales.
 */
export async function reportPageStart<R extends Role>(request: Request, context: AppLoadContext, roles: readonly R[], title: TranslationKey) {
  const { membership } = await requireActor(db(), request, context, roles);
  return {
    membership,
    title: translator(await resolveLanguage(request))(title),
    area: { en: membership.areaNameEn, cy: membership.areaNameCy },
    today: ukDate(new Date()),
  };
}
