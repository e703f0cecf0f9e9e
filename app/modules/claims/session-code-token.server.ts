import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Session codes: what a session's QR code carries, so that a guardian can claim a credit for
 * a child who was there. A code is a signed, expiring token (see docs/decisions/0014):
 *
 *   base64url( version | kind | area (4 bytes) | session id (16) | time (4) | [user id (16)] | MAC (16) )
 *
 * The MAC is HMAC-SHA256 keyed with the session's own `claim_secret`, over a label naming the
 * scheme and everything before it, cut to 128 bits. Replacing the secret revokes every code
 * of the session at once. Nothing here is a secret but the key: the payload can be read by
 * anyone, which is fine — it holds only ids that say nothing about a child.
 *
 * - A **screen** code rotates every 30 seconds (`time` = the 30-second window since 1970) and
 *   is accepted in its own window and the next one only, so a photo shared later is useless.
 * - A **poster** code (`time` = the session's start, in minutes since 1970) works only from
 *   the session's start to its end plus a grace period, never before; moving the session's
 *   start voids it.
 * - A **typed** code is the short number shown beside the screen's QR code (8 digits from
 *   the same secret and window), or the one printed on the poster (8 digits from the secret
 *   and the session's start, working as long as the poster's code does); typing it gives the
 *   guardian a ticket, never a token.
 * - A **ticket** is what a guardian's browser holds while choosing children: made when a
 *   valid code is opened, bound to that guardian's user id, good for 20 minutes, so a slow
 *   phone does not lose the claim but the ticket is useless to anyone else.
 */

export const SCREEN_WINDOW_MS = 30_000;
/** How long a guardian has to pick children once a valid code has been opened. */
export const TICKET_WINDOWS = 40;
export const DEFAULT_CLAIM_GRACE_MINUTES = 30;

const VERSION = 1;
const MAC_BYTES = 16;
const LABEL = Buffer.from("pasbort/session-code/v1\0", "utf8");
const SHORT_LABEL = Buffer.from("pasbort/session-short-code/v1\0", "utf8");
const POSTER_SHORT_LABEL = Buffer.from("pasbort/session-poster-short-code/v1\0", "utf8");

export type CodeKind = "screen" | "poster" | "typed";
export type TokenKind = CodeKind | "ticket";

const KIND_BYTE: Record<CodeKind, number> = { screen: 1, poster: 2, typed: 3 };
const TICKET_FLAG = 0x80;

/** What a token needs to know about its session; `claimSecret` never leaves the server. */
export interface SessionKey {
  id: string;
  areaId: string;
  claimSecret: string;
  startsAt: Date;
  endsAt: Date;
}

/** A token taken apart, before its MAC has been checked against a session's secret. */
export interface DecodedToken {
  kind: TokenKind;
  /** The code a ticket was made from (for a code, its own kind). */
  source: CodeKind;
  areaPrefix: string;
  sessionId: string;
  time: number;
  userId: string | null;
  signed: Buffer;
  mac: Buffer;
}

export type CodeRefusal = "CODE_INVALID" | "CODE_EXPIRED" | "SESSION_NOT_STARTED";
export type CodeCheck = { ok: true; kind: TokenKind; source: CodeKind } | { ok: false; reason: CodeRefusal };

export function screenWindow(now: Date) {
  return Math.floor(now.getTime() / SCREEN_WINDOW_MS);
}

/** Milliseconds until the screen's code next changes. */
export function msUntilNextWindow(now: Date) {
  return SCREEN_WINDOW_MS - (now.getTime() % SCREEN_WINDOW_MS);
}

function uuidBytes(uuid: string) {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

function bytesToUuid(bytes: Buffer) {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The first 8 hex digits of an area's id: enough to find the area among a handful. */
export function areaPrefixOf(areaId: string) {
  return areaId.replace(/-/g, "").slice(0, 8).toLowerCase();
}

function mac(secret: string, signed: Buffer) {
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(LABEL).update(signed).digest().subarray(0, MAC_BYTES);
}

function encode(session: SessionKey, kindByte: number, time: number, userId: string | null) {
  const head = Buffer.alloc(2 + 4 + 16 + 4);
  head.writeUInt8(VERSION, 0);
  head.writeUInt8(kindByte, 1);
  uuidBytes(session.areaId).copy(head, 2, 0, 4);
  uuidBytes(session.id).copy(head, 6);
  head.writeUInt32BE(time >>> 0, 22);
  const signed = userId ? Buffer.concat([head, uuidBytes(userId)]) : head;
  return Buffer.concat([signed, mac(session.claimSecret, signed)]).toString("base64url");
}

function posterTime(session: SessionKey) {
  return Math.floor(session.startsAt.getTime() / 60_000);
}

/** A session's code: for the screen (this 30-second window) or a poster. */
export function sessionCodeToken(session: SessionKey, kind: "screen" | "poster", now: Date = new Date()) {
  return encode(session, KIND_BYTE[kind], kind === "poster" ? posterTime(session) : screenWindow(now), null);
}

/** A guardian's ticket, made when they open a valid code of `source` kind. */
export function claimTicket(session: SessionKey, source: CodeKind, userId: string, now: Date = new Date()) {
  return encode(session, TICKET_FLAG | KIND_BYTE[source], screenWindow(now), userId);
}

const CODE_LENGTH = 56;
const TICKET_LENGTH = 78;

/** Takes a token apart; null for anything that is not one (no database needed to say so). */
export function decodeToken(token: string | undefined | null): DecodedToken | null {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  if (token.length !== CODE_LENGTH && token.length !== TICKET_LENGTH) return null;
  const bytes = Buffer.from(token, "base64url");
  // Only the canonical spelling: another string decoding to the same bytes is not the code.
  if (bytes.toString("base64url") !== token) return null;
  if (bytes.readUInt8(0) !== VERSION) return null;
  const kindByte = bytes.readUInt8(1);
  const isTicket = (kindByte & TICKET_FLAG) !== 0;
  const source = (Object.entries(KIND_BYTE).find(([, value]) => value === (kindByte & ~TICKET_FLAG))?.[0] ?? null) as CodeKind | null;
  if (!source) return null;
  if (isTicket !== (bytes.length === 58)) return null;
  const signedLength = bytes.length - MAC_BYTES;
  return {
    kind: isTicket ? "ticket" : source,
    source,
    areaPrefix: bytes.subarray(2, 6).toString("hex"),
    sessionId: bytesToUuid(bytes.subarray(6, 22)),
    time: bytes.readUInt32BE(22),
    userId: isTicket ? bytesToUuid(bytes.subarray(26, 42)) : null,
    signed: bytes.subarray(0, signedLength),
    mac: bytes.subarray(signedLength),
  };
}

/**
 * Checks a decoded token against its session (found by the ids in it) at `now`. The MAC is
 * compared in constant time, before anything about time is looked at, so a forged code
 * learns nothing. For a ticket, `userId` must be the guardian it was made for.
 */
export function checkToken(decoded: DecodedToken, session: SessionKey, now: Date, options: { graceMinutes?: number; userId?: string | null } = {}): CodeCheck {
  if (decoded.sessionId !== session.id || decoded.areaPrefix !== areaPrefixOf(session.areaId)) return { ok: false, reason: "CODE_INVALID" };
  const expected = mac(session.claimSecret, decoded.signed);
  if (expected.length !== decoded.mac.length || !timingSafeEqual(expected, decoded.mac)) return { ok: false, reason: "CODE_INVALID" };

  const current = screenWindow(now);
  switch (decoded.kind) {
    case "screen":
    case "typed":
      // ("typed" is only ever a ticket's source: a typed-kind code is refused by every caller.)
      if (decoded.time > current) return { ok: false, reason: "CODE_INVALID" };
      if (decoded.time < current - 1) return { ok: false, reason: "CODE_EXPIRED" };
      break;
    case "poster": {
      if (decoded.time !== posterTime(session)) return { ok: false, reason: "CODE_EXPIRED" };
      if (now.getTime() < session.startsAt.getTime()) return { ok: false, reason: "SESSION_NOT_STARTED" };
      const grace = options.graceMinutes ?? DEFAULT_CLAIM_GRACE_MINUTES;
      if (now.getTime() > session.endsAt.getTime() + grace * 60_000) return { ok: false, reason: "CODE_EXPIRED" };
      break;
    }
    case "ticket":
      if (!options.userId || decoded.userId !== options.userId.toLowerCase()) return { ok: false, reason: "CODE_INVALID" };
      if (decoded.time > current) return { ok: false, reason: "CODE_INVALID" };
      if (decoded.time < current - TICKET_WINDOWS) return { ok: false, reason: "CODE_EXPIRED" };
      break;
  }
  return { ok: true, kind: decoded.kind, source: decoded.source };
}

/**
 * The short number shown beside the screen's QR code, for a guardian whose phone will not
 * scan: 8 digits from the same secret and window, so it changes with the code.
 */
export function shortCode(session: SessionKey, window: number) {
  const time = Buffer.alloc(4);
  time.writeUInt32BE(window >>> 0, 0);
  const digest = createHmac("sha256", Buffer.from(session.claimSecret, "utf8")).update(SHORT_LABEL).update(session.id).update(time).digest();
  return String(digest.readUInt32BE(0) % 100_000_000).padStart(8, "0");
}

/**
 * The short number printed on the poster, for phones that cannot scan it: from the secret and
 * the session's start (as the poster's code), so moving the start or resetting codes voids it.
 */
export function posterShortCode(session: SessionKey) {
  const time = Buffer.alloc(4);
  time.writeUInt32BE(posterTime(session) >>> 0, 0);
  const digest = createHmac("sha256", Buffer.from(session.claimSecret, "utf8")).update(POSTER_SHORT_LABEL).update(session.id).update(time).digest();
  return String(digest.readUInt32BE(0) % 100_000_000).padStart(8, "0");
}

/**
 * Whether `typed` (spaces and dashes ignored) is the session's screen number now or in the
 * window before, or its poster's number while the poster works (start to end plus grace).
 */
export function matchesShortCode(session: SessionKey, typed: string, now: Date, graceMinutes = DEFAULT_CLAIM_GRACE_MINUTES) {
  const digits = Buffer.from(typed.replace(/[\s-]/g, ""), "utf8");
  if (digits.length !== 8) return false;
  const current = screenWindow(now);
  const posterWorks = now.getTime() >= session.startsAt.getTime() && now.getTime() <= session.endsAt.getTime() + graceMinutes * 60_000;
  let match = false;
  // Every number is always compared, in constant time, so timing tells nothing.
  for (const window of [current, current - 1]) {
    if (timingSafeEqual(Buffer.from(shortCode(session, window), "utf8"), digits)) match = true;
  }
  if (timingSafeEqual(Buffer.from(posterShortCode(session), "utf8"), digits) && posterWorks) match = true;
  return match;
}

/** "4821 0937": easier to read out and type. */
export function formatShortCode(code: string) {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}
