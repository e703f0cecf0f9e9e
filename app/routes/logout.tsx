import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signedInChild } from "~/modules/accounts/actor.server";
import { endSession } from "~/modules/accounts/auth.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { signOutChild } from "~/modules/children/child-sign-in.server";
import { db } from "~/modules/db/db.server";

export async function loader() {
  throw redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  if (!context.signedIn) throw redirect("/");
  if (signedInChild(context.signedIn)) {
    throw redirect("/child-sign-in", { headers: { "Set-Cookie": await signOutChild(db(), context.signedIn.session.id) } });
  }
  const setCookie = await endSession(db(), context.signedIn.session.id);
  await recordAudit(db(), { actorUserId: context.signedIn.user.id, action: "sign_out" });
  throw redirect("/", { headers: { "Set-Cookie": setCookie } });
}
