import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import helmet from "helmet";

/** A fresh nonce per response, for the scripts Remix writes into the page. */
export const assignCspNonce: RequestHandler = (_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  next();
};

/**
 * Security headers on every response: a nonce-based Content-Security-Policy, no framing at
 * all (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` saying the same to old browsers),
 * no referrer sent elsewhere (passport links must not leak), and the camera allowed only on
 * our own pages (for the scanner). HSTS only on answers that came over HTTPS: sent over plain
 * HTTP it means nothing, and it would pin a local install (http://localhost) to HTTPS.
 */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:", "blob:"],
          // `npm run dev` reloads the page over a web socket from Remix's dev server.
          connectSrc: [
            "'self'",
            ...(process.env.NODE_ENV === "development" && process.env.REMIX_DEV_ORIGIN ? [process.env.REMIX_DEV_ORIGIN.replace(/^http/, "ws")] : []),
          ],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
        },
      },
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
      strictTransportSecurity: false,
    }),
    (req, res, next) => {
      res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=(), usb=()");
      // req.secure: TLS here, or X-Forwarded-Proto from a proxy trusted by TRUST_PROXY.
      if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      next();
    },
  ];
}
