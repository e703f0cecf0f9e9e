/** The ASCII name for browsers that do not read filename*: accents dropped, dashes kept as "-". */
function asciiFileName(filename: string) {
  return (
    filename
      .normalize("NFD")
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/["\\]/g, "") || "download"
  );
}

/**
 * RFC 5987's value: %-escaped UTF-8. encodeURIComponent leaves ' ( ) and * alone, and an
 * apostrophe in "Gŵyl Raddio'r Haf" made browsers drop filename* for the ASCII name (dash lost).
 */
const extendedFileName = (filename: string) => encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A file for the browser to save: never cached (it is about a child), named safely for every
 * browser (ASCII fallback plus the UTF-8 name, so "Siôn" and "Haf – Ysgol" survive).
 */
export function downloadResponse(body: Buffer | string, contentType: string, filename: string, inline = false) {
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${asciiFileName(filename)}"; filename*=UTF-8''${extendedFileName(filename)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
