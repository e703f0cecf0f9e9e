import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadResponse } from "~/modules/http/download.server";
import { impactPdf } from "~/modules/reports/impact-exports/pdf.server";
import { impactExportRequest, impactFileName } from "~/modules/reports/impact-exports/request.server";

/** The impact report as a bilingual PDF (Welsh, then English): the page's figures and access rules. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const asked = await impactExportRequest(request, context);
  if (!asked.ok) return asked.response;
  return downloadResponse(await impactPdf(asked.report, asked.now, asked.publishedAt), "application/pdf", impactFileName(asked.report, "pdf"));
}
