import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { exportChildData } from "~/modules/children/data-rights.server";
import { recordSummaryText } from "~/modules/children/record-summary.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

/**
 * Everything held about a child, as JSON, for their guardian: first a readable summary (the
 * guardian's language, then the other), then every detail, with each digital badge as signed.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["guardian"]);
  const [data, lang] = await Promise.all([exportChildData(db(), membership, params.childId ?? ""), resolveLanguage(request)]);
  const day = data.exportedAt.slice(0, 10);
  const body = { readableSummary: recordSummaryText(data, lang, publicOrigin()), ...data };
  return downloadResponse(JSON.stringify(body, null, 2), "application/json; charset=utf-8", `pasbort-${data.child.givenName}-${day}.json`);
}
