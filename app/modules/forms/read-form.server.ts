import { data, MaxPartSizeExceededError, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { resolveLanguage } from "../i18n/language.server";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The one way an action reads a submitted form. What is not a form (text/plain, JSON, a
 * multipart body that does not parse) is refused with 415 or 400, which the error page shows
 * in the person's language (carried in the answer: the root loader does not run when an
 * action fails), instead of failing as a 500. `uploads` receives the files of a
 * multipart form (an upload over its limit still throws MaxPartSizeExceededError, for the
 * route to explain).
 */
export async function readFormData(request: Request, uploads?: UploadHandler): Promise<FormData> {
  const mediaType = request.headers.get("Content-Type")?.split(";")[0]!.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.has(mediaType)) throw data({ lang: await resolveLanguage(request) }, { status: 415, statusText: "Unsupported Media Type" });
  try {
    return uploads && mediaType === "multipart/form-data" ? await unstable_parseMultipartFormData(request, uploads) : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw error;
    throw data({ lang: await resolveLanguage(request) }, { status: 400, statusText: "Bad Request" });
  }
}
