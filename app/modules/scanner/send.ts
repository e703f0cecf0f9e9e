import { classifyResponse, sessionCreditsUrl, type SendOutcome } from "./protocol";
import type { QueuedScan } from "./queue";

/** Long enough for a slow mobile connection, short enough that nobody stands waiting. */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * One try at sending a queued scan. Every failure to get an answer is a "try again later":
 * the request may or may not have reached the server, and either way sending the same key
 * again is safe.
 */
export async function sendScan(scan: QueuedScan, timeoutMs = SEND_TIMEOUT_MS): Promise<SendOutcome> {
  if (typeof navigator !== "undefined" && navigator.onLine === false) return { kind: "retry", problem: "offline" };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(sessionCreditsUrl(scan.sessionId), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ passport: scan.passport, idempotencyKey: scan.key }),
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    });
    const body: unknown = await response.json().catch(() => null);
    return classifyResponse(response.status, body);
  } catch {
    return { kind: "retry", problem: controller.signal.aborted ? "timeout" : "offline" };
  } finally {
    clearTimeout(timer);
  }
}
