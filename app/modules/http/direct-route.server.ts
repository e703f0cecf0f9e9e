import { createRequest, sendResponse } from "@remix-run/node-fetch-server";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";

/**
 * Serves one resource route's action straight from the Remix build: the same route module,
 * its Request and Response made by the Remix team's node-fetch-server, but without Remix's
 * per-request pipeline, which matches the URL against every route (twice) before calling the
 * action. For the scanner API that pipeline cost a third of a credit's server time (ADR 0015);
 * pages and every other route still go through Remix.
 *
 * Only for resource routes with no URL parameters that answer every outcome themselves (the
 * API's routes wrap their work in apiHandler); a Response thrown anyway is still sent.
 */
export function resourceActionHandler(
  build: ServerBuild,
  routeId: string,
  loadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext,
): RequestHandler {
  const route = build.routes[routeId];
  const action = route?.module.action;
  if (!route || !action || route.path?.includes(":") || route.module.default) {
    throw new Error(`${routeId} is not a resource route with an action and no URL parameters.`);
  }
  return (req, res, next) => {
    Promise.resolve()
      .then(() => action({ request: createRequest(req, res, { protocol: `${req.protocol}:` }), params: {}, context: loadContext(req, res) }))
      .catch((thrown: unknown) => {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      })
      .then((response) => {
        if (!(response instanceof Response)) throw new Error(`${routeId}: the action did not answer with a Response.`);
        return sendResponse(res, response);
      })
      .catch(next);
  };
}

/**
 * Lets a page's address answer some requests itself, before Remix: `answer` returns a Response
 * for the request it takes (a wallet asking a certificate's /verify/<id> for the credential's
 * JSON), or null to pass it on to the page. A Remix page cannot do this from its loader: on a
 * document request Remix always renders the page around the loader's data.
 */
export function answerBeforePages(answer: (request: Request, params: Record<string, string>) => Promise<Response> | null): RequestHandler {
  return (req, res, next) => {
    const answered = answer(createRequest(req, res, { protocol: `${req.protocol}:` }), req.params as Record<string, string>);
    if (!answered) return next();
    answered.then((response) => sendResponse(res, response)).catch(next);
  };
}
