import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { isDatabaseUnavailable } from "~/modules/db/unavailable.server";
import { htmlBodyStream } from "~/modules/http/html-stream.server";
import { logNotFound } from "~/modules/http/not-found.server";
import { databaseUnavailablePage, logDatabaseUnavailable, rootStylesheets } from "~/modules/http/unavailable-page.server";
import { languageCookieFor } from "~/modules/i18n/language.server";
import { BuildVersionContext } from "~/modules/i18n/string-files";

const ABORT_DELAY = 5_000;

/** A ?lang= choice is remembered on every kind of response, page or data. */
async function rememberLanguage(request: Request, headers: Headers) {
  const cookie = await languageCookieFor(request);
  if (cookie) headers.append("Set-Cookie", cookie);
}

/**
 * Page requests whose loaders (or action) found the database gone: answered with the 503 page
 * instead of the error boundary's 500. Remix hands handleRequest the errors already reduced to
 * "Unexpected Server Error", so handleError, which sees them whole first, notes the request.
 */
const databaseWasUnavailable = new WeakSet<Request>();

/**
 * A page that is not there is an everyday event, not a fault: one line, not a stack trace;
 * so is a database that is away. Everything else is logged whole (unless the browser went away first).
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (isDatabaseUnavailable(error)) {
    databaseWasUnavailable.add(request);
    logDatabaseUnavailable(request, error);
    return;
  }
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) {
    logNotFound(request);
    return;
  }
  console.error(error);
};

/**
 * What a signed-in person sees holds their (or children's) data: never kept by the browser or
 * anything between, so the next person on a shared family tablet cannot go back to it.
 */
function forbidStoringSignedIn(context: AppLoadContext, headers: Headers) {
  if (context.signedIn) headers.set("Cache-Control", "no-store");
}

export const handleDataRequest: HandleDataRequestFunction = async (response, { request, context }) => {
  await rememberLanguage(request, response.headers);
  forbidStoringSignedIn(context, response.headers);
  return response;
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (databaseWasUnavailable.has(request))
    return databaseUnavailablePage(request, rootStylesheets(remixContext.routeModules.root), { headers: responseHeaders });
  await rememberLanguage(request, responseHeaders);
  forbidStoringSignedIn(loadContext, responseHeaders);
  // Crawlers get the whole page at once; browsers get it streamed as it is ready.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={loadContext.cspNonce}>
        <BuildVersionContext.Provider value={remixContext.manifest.version}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={loadContext.cspNonce} />
        </BuildVersionContext.Provider>
      </NonceContext.Provider>,
      {
        nonce: loadContext.cspNonce,
        [readyEvent]() {
          shellRendered = true;
          // Not a bare PassThrough: React 18 pads some chunks with NUL bytes (html-stream.server.ts).
          const body = htmlBodyStream();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are already streamed to the client; log the rest.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
