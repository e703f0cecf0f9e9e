import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { describe, expect, it } from "vitest";
import { projectPath } from "../project-path.server";
import { documentLoaderFor, MULTIKEY_V1, type DidDocument } from "./document-loader.server";

/**
 * The signing stack against the published eddsa-rdfc-2022 test vectors of the W3C "Data
 * Integrity EdDSA Cryptosuites v1.0" Recommendation (tests/fixtures/vc-di-eddsa, copied
 * unchanged; SOURCE.md). Every intermediate value is compared: the canonical N-Quads of the
 * document and of the proof options, their hashes, the signature, and the signed credential.
 * The loader is the app's own (bundled contexts, nothing fetched), with the vectors' example
 * context and did:key added.
 */

const fixture = (name: string) => readFileSync(projectPath("tests", "fixtures", "vc-di-eddsa", name), "utf8");
const json = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const keyPair = json("keyPair.json") as { publicKeyMultibase: string; privateKeyMultibase: string };
const did = `did:key:${keyPair.publicKeyMultibase}`;
const keyId = `${did}#${keyPair.publicKeyMultibase}`;
const didDocument: DidDocument = {
  "@context": ["https://www.w3.org/ns/did/v1", MULTIKEY_V1],
  id: did,
  verificationMethod: [{ id: keyId, type: "Multikey", controller: did, publicKeyMultibase: keyPair.publicKeyMultibase }],
  assertionMethod: [keyId],
};
const documentLoader = documentLoaderFor(
  async (asked) => (asked === did ? didDocument : null),
  new Map([["https://www.w3.org/ns/credentials/examples/v2", json("credentials-examples-v2.jsonld")]]),
);
const proofConfig = json("proofConfigDataInt.json");

async function vectorKey() {
  return Ed25519Multikey.from({
    type: "Multikey",
    id: keyId,
    controller: did,
    publicKeyMultibase: keyPair.publicKeyMultibase,
    secretKeyMultibase: keyPair.privateKeyMultibase,
  });
}

describe("eddsa-rdfc-2022 against the W3C test vectors", () => {
  it("canonicalises the document and the proof options to the published N-Quads and hashes", async () => {
    const suite = new DataIntegrityProof({ cryptosuite }) as DataIntegrityProof & {
      canonize(document: unknown, options: Record<string, unknown>): Promise<string>;
      canonizeProof(proof: unknown, options: Record<string, unknown>): Promise<string>;
    };
    const unsigned = json("unsigned.json");
    const canonicalDocument = await suite.canonize(unsigned, { documentLoader, base: null, safe: true });
    expect(canonicalDocument).toBe(fixture("canonDocDataInt.txt"));
    expect(sha256(canonicalDocument)).toBe(fixture("docHashDataInt.txt"));

    const { "@context": _context, ...options } = proofConfig;
    const canonicalProof = await suite.canonizeProof(options, { document: unsigned, documentLoader });
    expect(canonicalProof).toBe(fixture("proofCanonDataInt.txt"));
    expect(sha256(canonicalProof)).toBe(fixture("proofHashDataInt.txt"));
    expect(sha256(canonicalProof) + sha256(canonicalDocument)).toBe(fixture("combinedHashDataInt.txt"));
  });

  it("signs the vector credential to exactly the published signature and signed document", async () => {
    const key = await vectorKey();
    const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite, date: proofConfig.created as string });
    const signed = await vc.issue({ credential: json("unsigned.json"), suite, documentLoader });
    const published = json("signedDataInt.json");
    expect((signed.proof as Record<string, unknown>).proofValue).toBe(fixture("sigBTC58DataInt.txt"));
    expect(signed).toEqual(published);
    // The base58btc proof value is the published hex signature.
    const raw = await key.signer().sign({ data: new Uint8Array(Buffer.from(fixture("combinedHashDataInt.txt"), "hex")) });
    expect(Buffer.from(raw).toString("hex")).toBe(fixture("sigHexDataInt.txt"));
  });

  it("verifies the published signature offline, and refuses it with one word changed", async () => {
    type ProofResult = { verified: boolean; error?: Error; purposeResult?: { valid: boolean; error?: Error } };
    const check = async (credential: unknown) =>
      (await vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader })) as {
        verified: boolean;
        results?: ProofResult[];
      };
    const published = json("signedDataInt.json");
    // The vector's issuer (an https URL) is not its key's controller (a did:key), which the
    // library's issuance rule refuses; that rule is only checked after the signature verified.
    const [proof] = (await check(published)).results!;
    expect(proof!.purposeResult).toMatchObject({ valid: false, error: { message: "Credential issuer must match the verification method controller." } });

    const tampered = structuredClone(published);
    (tampered.credentialSubject as Record<string, unknown>).alumniOf = "The School of Forgeries";
    const [forged] = (await check(tampered)).results!;
    expect(forged!.purposeResult).toBeUndefined();
    expect(forged!.error?.message).toBe("Invalid signature.");

    // Issued by the key's own DID, the same document verifies in full.
    const key = await vectorKey();
    const ownIssuer = { ...json("unsigned.json"), issuer: did };
    const signed = await vc.issue({ credential: ownIssuer, suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite }), documentLoader });
    expect((await check(signed)).verified).toBe(true);
  });
});
