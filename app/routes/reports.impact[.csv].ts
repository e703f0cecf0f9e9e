import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadResponse } from "~/modules/http/download.server";
import { impactCsv } from "~/modules/reports/impact-exports/csv.server";
import { impactExportRequest, impactFileName } from "~/modules/reports/impact-exports/request.server";

/** The impact report's tables as one CSV in the reader's language: the page's figures and access rules. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const asked = await impactExportRequest(request, context);
  if (!asked.ok) return asked.response;
  return downloadResponse(impactCsv(asked.report, asked.lang, asked.now, asked.publishedAt), "text/csv; charset=utf-8", impactFileName(asked.report, "csv"));
}
