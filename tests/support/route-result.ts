/**
 * What a loader or action returned, as a test reads it: a Response (a redirect or a thrown
 * refusal), `data(value, init)` (Remix's DataWithResponseInit) or a plain value.
 */
export function unwrap(result: unknown): {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the fields its page returns
  data: any;
  status: number;
  location: string | null;
  headers: Headers;
} {
  if (result instanceof Response) return { data: null, status: result.status, location: result.headers.get("Location"), headers: result.headers };
  if (result && typeof result === "object" && "type" in result && (result as { type: string }).type === "DataWithResponseInit") {
    const { data, init } = result as unknown as { data: unknown; init: ResponseInit | null };
    return { data, status: init?.status ?? 200, location: null, headers: new Headers(init?.headers) };
  }
  return { data: result, status: 200, location: null, headers: new Headers() };
}
