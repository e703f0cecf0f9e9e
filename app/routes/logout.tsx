import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/modules/accounts/auth.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { db } from "~/modules/db/db.server";

export async function loader() {
  throw redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (!context.signedIn) throw redirect("/");
  const setCookie = await endSession(db(), context.signedIn.session.id);
  await recordAudit(db(), { actorUserId: context.signedIn.user.id, action: "sign_out" });
  throw redirect("/", { headers: { "Set-Cookie": setCookie } });
}
