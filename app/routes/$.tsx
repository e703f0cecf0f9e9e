import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/modules/accounts/actor.server";
import { logNotFound } from "~/modules/http/not-found.server";

/**
 * Any address no other route has. Answering it here, not leaving it unmatched, means the
 * root loader runs first: the 404 page (root.tsx's ErrorBoundary) is in the visitor's language.
 */
export function loader({ request }: LoaderFunctionArgs): never {
  logNotFound(request);
  notFound();
}

export default function NotFound() {
  return null;
}
