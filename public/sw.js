/*
 * Pasbort's service worker: lets the passport scanner open in a field with no signal.
 *
 * Registered only by the scanner page, with the scope /provider/sessions/. It keeps
 *   - scanner pages (/provider/sessions/<id>/scan): from the network when it answers within
 *     a few seconds, else the copy kept from the last visit;
 *   - the built files under /build/ (their names change with their content, so a kept copy
 *     is never stale).
 * Nothing else is touched: sending scans is the page's business (its queue keeps them in
 * IndexedDB until the server has answered), and every POST goes straight to the network.
 * No child's data is kept here: the scanner page holds none.
 */
const PAGES = "pasbort-scanner-pages-v1";
const ASSETS = "pasbort-scanner-assets-v1";
const SCANNER_PAGE = /^\/provider\/sessions\/[0-9a-f-]{36}\/scan\/?$/i;
const MAX_PAGES = 8;
const MAX_ASSETS = 80;
/** How long a kept page waits for the network before it is shown instead. */
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("pasbort-scanner-") && name !== PAGES && name !== ASSETS) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data) return;
  // The scanner page's first visit comes before this worker is in charge: the page sends the
  // list of files it was made of, and the worker fetches and keeps them.
  if (data.type === "keep-scanner" && typeof data.page === "string" && SCANNER_PAGE.test(data.page)) {
    event.waitUntil(keepScanner(data.page, Array.isArray(data.assets) ? data.assets : []));
  }
  // Signed out (a shared phone): the kept scanner pages go; the built files hold nobody's data.
  if (data.type === "forget-scanner-pages") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && SCANNER_PAGE.test(url.pathname)) {
    event.respondWith(scannerPage(event, url.pathname));
  } else if (url.pathname.startsWith("/build/")) {
    event.respondWith(builtFile(event, request));
  }
});

async function scannerPage(event, path) {
  const pages = await caches.open(PAGES);
  const network = fetch(event.request).then((response) => {
    event.waitUntil(remember(pages, path, response.clone()));
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const kept = await pages.match(path);
  if (!kept) return network;
  const slow = new Promise((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([network, slow]);
    return first && first.status < 500 ? first : kept;
  } catch {
    return kept;
  }
}

async function builtFile(event, request) {
  const assets = await caches.open(ASSETS);
  const kept = await assets.match(request.url);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    event.waitUntil(assets.put(request.url, response.clone()).then(() => trim(assets, MAX_ASSETS)));
  }
  return response;
}

/** Keeps a good scanner page; forgets it when the server says the person may no longer open it. */
async function remember(pages, path, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    await pages.put(path, response);
    await trim(pages, MAX_PAGES);
  } else if (response.type === "opaqueredirect" || response.redirected || [401, 403, 404].includes(response.status)) {
    await pages.delete(path);
  }
}

async function keepScanner(page, assetUrls) {
  const assets = await caches.open(ASSETS);
  for (const url of assetUrls) {
    const parsed = new URL(url, self.location.href);
    if (parsed.origin !== self.location.origin || !parsed.pathname.startsWith("/build/")) continue;
    if (await assets.match(parsed.href)) continue;
    try {
      const response = await fetch(parsed.href);
      if (response.ok) await assets.put(parsed.href, response);
    } catch {
      // Lost the signal half-way: the next visit tries again.
    }
  }
  await trim(assets, MAX_ASSETS);
  const pages = await caches.open(PAGES);
  if (await pages.match(page)) return;
  try {
    await remember(pages, page, await fetch(page, { credentials: "same-origin", redirect: "manual" }));
  } catch {
    // As above.
  }
}

/** Oldest first out, so the caches stay small on a phone with little room. */
async function trim(cache, max) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - max))) await cache.delete(key);
}
