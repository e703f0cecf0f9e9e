import QRCode from "qrcode";

/**
 * A QR code as an SVG data URL for an <img>: drawn on the server, so the page needs no
 * script to show it, and allowed by the Content-Security-Policy (img-src data:), where an
 * inline <svg> with styles would not be. Medium error correction and the standard 4-module
 * quiet zone: it scans from the back of a hall on a cheap phone.
 */
export async function qrDataUrl(text: string) {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4, color: { dark: "#000000", light: "#ffffff" } });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
