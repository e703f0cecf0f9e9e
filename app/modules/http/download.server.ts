/**
 * A file for the browser to save: never cached (it is about a child), named safely for every
 * browser (ASCII fallback plus the UTF-8 name, so "Siôn" survives).
 */
export function downloadResponse(body: Buffer | string, contentType: string, filename: string, inline = false) {
  const ascii =
    filename
      .normalize("NFD")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/["\\]/g, "") || "download";
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
