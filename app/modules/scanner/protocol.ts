import { parsePassportNumber } from "../passports/passport-number";

/**
 * What the scanner page and `/provider/sessions/:id/credits` say to each other. Shared by the
 * server (which answers) and the browser (which may send the same scan again much later, from
 * its offline queue), so it holds types and pure helpers only.
 */

/** Enough of a child to check the right card was scanned: a first name and an initial. */
export interface ScanChild {
  givenName: string;
  familyInitial: string;
}

/** An award level the credit took the child to: the scanner says so, so the volunteer can cheer. */
export interface AwardReached {
  nameEn: string;
  nameCy: string;
  thresholdHours: number;
}

/** 201 (or 200 when the same idempotency key was sent before: the first answer again). */
export interface ScanIssuedBody {
  replayed: boolean;
  credit: { id: string; hours: number; earnedOn: string };
  child: ScanChild & { totalHours: number };
  awardsReached: AwardReached[];
}

/** Any refusal: `code` is what clients branch on; `child` when the passport was found. */
export interface ScanErrorBody {
  error: { code: string; message: string };
  child?: ScanChild;
}

/** A scan that was credited, as the scanner shows it. */
export interface IssuedResult {
  replayed: boolean;
  child: ScanChild;
  hours: number;
  totalHours: number;
  awardsReached: AwardReached[];
}

/** A scan the rules refused: the reason's code (a `credits.refusals.*` key) and the child if known. */
export interface RefusedResult {
  code: string;
  child: ScanChild | null;
}

/** The answer to one try at sending a scan. */
export type SendOutcome =
  | { kind: "issued"; result: IssuedResult }
  | { kind: "refused"; refusal: RefusedResult }
  /** No answer, or not one about the scan: keep it and try again later with the same key. */
  | { kind: "retry"; problem: "offline" | "timeout" | "server" }
  /** The person must act first (sign in again, or switch back to a staff role); the scan waits. */
  | { kind: "blocked"; problem: "signedOut" | "forbidden" };

export type SendProblem = Extract<SendOutcome, { kind: "retry" | "blocked" }>["problem"];

/** The address a session's scans are sent to. */
export function sessionCreditsUrl(sessionId: string) {
  return `/provider/sessions/${encodeURIComponent(sessionId)}/credits`;
}

/**
 * Reads a response to a scan. Only an answer about the scan itself (credited, or refused by
 * the rules) takes it out of the queue; anything else leaves it to be sent again, which is
 * safe because the ledger answers a repeated idempotency key with its first answer.
 */
export function classifyResponse(status: number, body: unknown): SendOutcome {
  if ((status === 200 || status === 201) && isIssuedBody(body)) {
    return {
      kind: "issued",
      result: {
        replayed: body.replayed,
        child: { givenName: body.child.givenName, familyInitial: body.child.familyInitial },
        hours: body.credit.hours,
        totalHours: body.child.totalHours,
        awardsReached: body.awardsReached ?? [],
      },
    };
  }
  if (status === 401) return { kind: "blocked", problem: "signedOut" };
  if (status === 403) return { kind: "blocked", problem: "forbidden" };
  if (status === 408 || status === 429 || status >= 500) return { kind: "retry", problem: "server" };
  if (status >= 400 && isErrorBody(body)) {
    const child = body.child && typeof body.child.givenName === "string" ? { givenName: body.child.givenName, familyInitial: body.child.familyInitial } : null;
    return { kind: "refused", refusal: { code: body.error.code, child } };
  }
  // A proxy's error page, a captive portal's login page, a 2xx we do not understand: not an answer.
  return { kind: "retry", problem: "server" };
}

function isIssuedBody(body: unknown): body is ScanIssuedBody {
  const b = body as ScanIssuedBody | null;
  return Boolean(b && typeof b.replayed === "boolean" && b.credit && typeof b.credit.hours === "number" && b.child && typeof b.child.givenName === "string");
}

function isErrorBody(body: unknown): body is ScanErrorBody {
  const b = body as ScanErrorBody | null;
  return Boolean(b && b.error && typeof b.error.code === "string");
}

/**
 * What the phone can tell about a code before sending it. A passport address (`…/p/<token>`)
 * or a bare token is sent as it is; a passport number's check character is checked here, so
 * a mistyped number is caught at once, even with no signal; anything else (a poster's web
 * address, a session's own code) is not a passport at all.
 */
export function precheckPassport(text: string): "ok" | "PASSPORT_NUMBER_MISTYPED" | "NOT_A_PASSPORT" {
  const value = text.trim();
  if (/\/p\/[A-Za-z0-9_-]{22,64}\/?$/.test(value) || /^[A-Za-z0-9_-]{22,64}$/.test(value)) return "ok";
  if (/^[a-z]{2}[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}$/i.test(value)) return parsePassportNumber(value) ? "ok" : "PASSPORT_NUMBER_MISTYPED";
  return "NOT_A_PASSPORT";
}

/** A random idempotency key: crypto.randomUUID where the page is a secure context, the same shape otherwise. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
