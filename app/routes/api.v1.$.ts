import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiError } from "~/modules/api/errors.server";
import { resolveLanguage } from "~/modules/i18n/language.server";

/** Any other address under /api/v1: a JSON 404, never the site's HTML error page. */
async function notFound({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  return apiError(404, "NOT_FOUND", "api.errors.notFound", await resolveLanguage(request));
}

export const loader = notFound;
export const action = notFound;
