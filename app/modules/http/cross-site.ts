const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True for a state-changing request sent from another site's page, which is refused (CSRF).
 * Browsers mark every request with Sec-Fetch-Site, and send Origin with every POST; API
 * clients and scripts send neither and authenticate with a bearer token instead.
 */
export function isCrossSiteWrite(method: string, headers: { origin?: string; host?: string; secFetchSite?: string }) {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (headers.secFetchSite && headers.secFetchSite !== "same-origin" && headers.secFetchSite !== "none") return true;
  if (headers.origin) {
    if (headers.origin === "null") return true;
    try {
      return new URL(headers.origin).host !== headers.host;
    } catch {
      return true;
    }
  }
  return false;
}
