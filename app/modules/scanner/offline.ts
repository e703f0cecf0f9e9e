/**
 * Makes the scanner open without a connection: registers public/sw.js (only from the scanner
 * page, for session pages only) and tells it which files this page is made of, so it can keep
 * them — the first visit happens before the worker is in charge, so it could not see them.
 */
export const SERVICE_WORKER_URL = "/sw.js";
export const SERVICE_WORKER_SCOPE = "/provider/sessions/";

export async function enableOfflineScanner(): Promise<boolean> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return false;
  try {
    const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: SERVICE_WORKER_SCOPE });
    // Not navigator.serviceWorker.ready: a page reached by following links from outside the
    // scope (sign in, home, session) is not the worker's to control, and `ready` would wait forever.
    const worker = await activeWorker(registration);
    worker.postMessage({ type: "keep-scanner", page: location.pathname, assets: pageAssets() });
    return true;
  } catch {
    // No worker (private mode, an old browser): the scanner still works while there is signal,
    // and scans made without it still wait in the queue.
    return false;
  }
}

/**
 * After signing out, the scanner pages the worker kept are forgotten, so the next person on a
 * shared phone does not find them (they hold a session's name, never a child's data). Called by
 * every page shown to someone signed out; it does nothing where no worker was ever registered.
 */
export async function forgetScannerPages() {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_SCOPE).catch(() => undefined);
  registration?.active?.postMessage({ type: "forget-scanner-pages" });
}

/**
 * forgetScannerPages for a page sent without React (ADR 0042): the same message, as a few bytes
 * of inline script, so signing out forgets the kept pages whichever page the person lands on.
 */
export const FORGET_SCANNER_PAGES_SCRIPT = `"serviceWorker"in navigator&&navigator.serviceWorker.getRegistration(${JSON.stringify(SERVICE_WORKER_SCOPE)}).then(function(r){r&&r.active&&r.active.postMessage({type:"forget-scanner-pages"})},function(){})`;

function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  if (registration.active) return Promise.resolve(registration.active);
  const pending = registration.installing ?? registration.waiting;
  if (!pending) return Promise.reject(new Error("no service worker"));
  return new Promise((resolve, reject) => {
    pending.addEventListener("statechange", () => {
      if (pending.state === "activated") resolve(pending);
      else if (pending.state === "redundant") reject(new Error("service worker failed to install"));
    });
  });
}

/** The built files (scripts, styles, the decoder once loaded) this page has used. */
export function pageAssets(): string[] {
  const urls = new Set<string>();
  document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"], link[rel="modulepreload"]').forEach((link) => urls.add(link.href));
  document.querySelectorAll<HTMLScriptElement>("script[src]").forEach((script) => urls.add(script.src));
  for (const entry of performance.getEntriesByType("resource")) urls.add(entry.name);
  return [...urls].filter((url) => {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin && parsed.pathname.startsWith("/build/");
  });
}
