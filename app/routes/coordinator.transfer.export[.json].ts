import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicOrigin } from "~/modules/accounts/links.server";
import { requireActor } from "~/modules/accounts/actor.server";
import { exportAreaRecords } from "~/modules/certificates/transfer.server";
import { db } from "~/modules/db/db.server";
import { downloadResponse } from "~/modules/http/download.server";

/** Every active child's record and badges, for another Children's University to import (coordinators only; audited). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { membership } = await requireActor(db(), request, context, ["coordinator"]);
  const file = await exportAreaRecords(db(), membership, publicOrigin());
  return downloadResponse(JSON.stringify(file, null, 1), "application/json; charset=utf-8", `pasbort-records-${file.exportedAt.slice(0, 10)}.json`);
}
