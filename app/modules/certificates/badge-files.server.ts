import type { ChildPrincipal } from "../accounts/access.server";
import { isUuid, notFound, type Membership } from "../accounts/actor.server";
import { qrDataUrl } from "../claims/qr.server";
import { jsonError } from "../api/errors.server";
import type { DB } from "../db/database.server";
import { resolveLanguage } from "../i18n/language.server";
import { familyCertificate } from "./certificates.server";
import { signingKey } from "./issuer-keys.server";
import { signCredential, storedCredential, type OpenBadgeCredential } from "./open-badges.server";
import { sameArea } from "../db/same-area.server";

/**
 * The Open Badges a family takes away: one award's credential for its guardian (made with its
 * certificate the first time), and the public copy at the credential's own address, which is
 * where the certificate's QR code and a wallet's "add from link" lead.
 */

type IdentityObject = { type: string; identityType: string; identityHash: string; hashed: boolean; salt?: string };

/**
 * The stored credential, or with `withName` a copy that also names the child (an unhashed
 * IdentityObject, as Open Badges 3.0 allows), signed now and never stored: the guardian
 * chooses to share the name. Same id, same status entry, so revoking one revokes both. For the
 * child's guardian, or the child signed in on their own passport (their own awards only), with
 * familyCertificate's scope and refusals.
 */
export async function guardianCredential(
  db: DB,
  m: Membership | ChildPrincipal,
  childId: string,
  awardLevelId: string,
  origin: string,
  options: { withName: boolean },
) {
  const certificate = await familyCertificate(db, m, childId, awardLevelId, origin);
  const stored = await storedCredential(db, certificate.id);
  if (!stored) throw new Error(`Certificate ${certificate.id} has no credential.`);
  const childName = `${certificate.childGivenName} ${certificate.childFamilyName}`.trim();
  if (!options.withName) return { certificate, credential: stored };

  const { proof: _proof, ...unsigned } = stored;
  const subject = unsigned.credentialSubject as { identifier: IdentityObject[] } & Record<string, unknown>;
  const identifier = [
    ...subject.identifier.filter((item) => item.identityType !== "name"),
    { type: "IdentityObject", identityType: "name", identityHash: childName, hashed: false },
  ];
  const named = { ...unsigned, credentialSubject: { ...subject, identifier } } as OpenBadgeCredential;
  const key = await signingKey(db, m.areaId, origin);
  return { certificate, credential: await signCredential(db, key, named) };
}

/**
 * The credential at its own address, for anyone who has it (the id is as unguessable as the
 * certificate's, and the credential names no one). A withdrawn child's is gone, like its
 * certificate's verification page.
 */
export async function publicCredential(db: DB, certificateId: string | undefined): Promise<OpenBadgeCredential> {
  const stored = await publicCredentialText(db, certificateId);
  if (stored === null) notFound();
  return JSON.parse(stored) as OpenBadgeCredential;
}

/** The public credential exactly as it was signed and stored, or null (unknown, no badge, a withdrawn child's). */
async function publicCredentialText(db: DB, certificateId: string | undefined): Promise<string | null> {
  if (!certificateId || !isUuid(certificateId)) return null;
  const row = await db
    .selectFrom("badge_credential")
    .innerJoin("certificate", sameArea("certificate.id", "badge_credential.certificate_id"))
    .innerJoin("child", sameArea("child.id", "certificate.child_id"))
    .select("badge_credential.credential")
    .where("badge_credential.certificate_id", "=", certificateId)
    .where("child.status", "=", "active")
    .executeTakeFirst();
  return row?.credential ?? null;
}

/**
 * What a client asking for a credential itself may name, each also the answer's Content-Type:
 * VC Data Model 2.0's registered `application/vc`, its drafts' `application/vc+ld+json` (still
 * what many wallets and verifiers send), JSON-LD, and plain JSON.
 */
const CREDENTIAL_MEDIA_TYPES = new Set(["application/vc", "application/vc+ld+json", "application/ld+json", "application/json"]);

/**
 * Which credential media type an Accept header prefers to a web page, or null for the page.
 * Only a type named outright counts: a browser (text/html first) and a client that takes
 * anything (a bare `*\/*`, as Remix's own data requests send) get the page; a tie goes to the
 * page too, so a browser never gets JSON by surprise.
 */
export function credentialMediaType(accept: string | null | undefined): string | null {
  let best: { type: string; q: number } | null = null;
  let page = 0;
  for (const part of (accept ?? "").split(",")) {
    const [range = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (range === "text/html" || range === "application/xhtml+xml") page = Math.max(page, q);
    else if (CREDENTIAL_MEDIA_TYPES.has(range) && (!best || q > best.q)) best = { type: range, q };
  }
  return best && best.q > page ? best.type : null;
}

/** Public and for any origin, like the published issuer documents; the answer depends on Accept. */
const CREDENTIAL_ANSWER_HEADERS = { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", "X-Robots-Tag": "noindex", Vary: "Accept" };

/**
 * The certificate's QR code address (`/verify/<id>`) answering a wallet or verifier that asks
 * for JSON: the credential exactly as signed and stored (the same document as
 * `/credentials/<id>`, byte for byte), in the media type it asked for. Same privacy as the
 * page: a withdrawn child's or an unknown id is a 404 (as JSON, in the client's language); a
 * revoked one still answers, and its status list says revoked.
 */
export async function credentialAnswer(db: DB, request: Request, certificateId: string | undefined): Promise<Response> {
  const stored = await publicCredentialText(db, certificateId);
  if (stored === null) {
    return jsonError(404, "NOT_FOUND", "certificates.verify.unknown", await resolveLanguage(request), { headers: CREDENTIAL_ANSWER_HEADERS });
  }
  const type = credentialMediaType(request.headers.get("Accept")) ?? "application/json";
  return new Response(stored, {
    headers: { ...CREDENTIAL_ANSWER_HEADERS, "Content-Type": type, "Content-Length": String(Buffer.byteLength(stored)) },
  });
}

/** For answerBeforePages on `/verify/:certificateId`: a request for JSON gets the credential, any other the page. */
export function credentialAtVerifyAddress(db: DB) {
  return (request: Request, params: Record<string, string>) =>
    credentialMediaType(request.headers.get("Accept")) ? credentialAnswer(db, request, params.certificateId) : null;
}

/**
 * For the page that offers badges (the guardian's, the child's own): each certificate's badge
 * address (the credential's own `id`, where a wallet's "add from link" fetches it) and a QR code
 * of it as an image a phone's wallet app can scan. Certificates of other areas, or without a
 * stored badge, are left out.
 */
export async function walletLinks(db: DB, areaId: string, certificateIds: string[]): Promise<Map<string, { url: string; qr: string }>> {
  const ids = certificateIds.filter(isUuid);
  const links = new Map<string, { url: string; qr: string }>();
  if (ids.length === 0) return links;
  const rows = await db
    .selectFrom("badge_credential")
    .select(["certificate_id", "credential"])
    .where("area_id", "=", areaId)
    .where("certificate_id", "in", ids)
    .execute();
  for (const row of rows) {
    const { id } = JSON.parse(row.credential) as OpenBadgeCredential;
    links.set(row.certificate_id, { url: id, qr: await qrDataUrl(id) });
  }
  return links;
}
