import { authenticateApiToken, type ApiClient, type ApiTokenLimit } from "../accounts/api-tokens.server";
import type { DB } from "../db/database.server";
import { resolveLanguage } from "../i18n/language.server";
import { apiError, BEARER_CHALLENGE } from "./errors.server";

export type { ApiClient } from "../accounts/api-tokens.server";

/**
 * The provider an API request acts for, from its `Authorization: Bearer pbt_…` header.
 * No token: 401 asking for one. Unknown or revoked token: 401 with `error="invalid_token"`
 * (RFC 6750), the same answer for both so nothing tells which tokens ever existed.
 * Session cookies are deliberately not accepted here. With a `limit`, the request is counted
 * against the token's limit as it is looked up (the verdict is in `client.limit`).
 */
export async function requireApiClient(db: DB, request: Request, limit?: ApiTokenLimit): Promise<ApiClient> {
  const header = request.headers.get("Authorization");
  const presented = header?.match(/^Bearer +(.*)$/i)?.[1]?.trim();
  if (!presented) {
    throw apiError(401, "UNAUTHORIZED", "api.errors.missingToken", await resolveLanguage(request));
  }
  const client = await authenticateApiToken(db, presented, new Date(), limit);
  if (!client) {
    throw apiError(401, "UNAUTHORIZED", "api.errors.invalidToken", await resolveLanguage(request), {
      "WWW-Authenticate": `${BEARER_CHALLENGE}, error="invalid_token"`,
    });
  }
  return client;
}
