import type { SignedIn } from "~/modules/accounts/auth.server";

/** What the server hands every loader and action (see server.ts). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The signed-in person, validated once per request from the session cookie. */
    signedIn: SignedIn | null;
    /** The Content-Security-Policy nonce of this response, for inline scripts. */
    cspNonce: string;
    /** The client's address (behind a proxy only when TRUST_PROXY says so), for rate limits. */
    clientAddress: string;
  }
}

export {};

// Loader and action types follow Single Fetch (the v3 behaviour turned on in remix.config.js).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
