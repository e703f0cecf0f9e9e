import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadResponse } from "~/modules/http/download.server";
import { impactExportRequest, impactFileName } from "~/modules/reports/impact-exports/request.server";
import { impactSpreadsheet } from "~/modules/reports/impact-exports/spreadsheet.server";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The impact report's tables as a spreadsheet (one sheet per table, a notes sheet) in the reader's language: the page's figures and access rules. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const asked = await impactExportRequest(request, context);
  if (!asked.ok) return asked.response;
  return downloadResponse(await impactSpreadsheet(asked.report, asked.lang, asked.now, asked.publishedAt), XLSX, impactFileName(asked.report, "xlsx"));
}
