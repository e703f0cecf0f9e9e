/**
 * Reading QR codes from the camera. The browser's own BarcodeDetector where it has one that
 * reads QR codes (Chrome on Android: fast, native, nothing to download); otherwise jsQR, a
 * small pure-JavaScript decoder, loaded only now and only on the scanner page (see
 * docs/decisions/0013). Neither needs a worker from a blob or WebAssembly, so the page keeps
 * its strict Content-Security-Policy.
 */

export interface QrReader {
  kind: "native" | "jsqr";
  /** The text of a QR code in the current frame, or null. */
  read(video: HTMLVideoElement): Promise<string | null>;
  /** How long to wait between frames: the fallback decodes on the main thread, so it reads less often. */
  intervalMs: number;
}

interface NativeDetector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are scaled down to this many pixels on the long side before jsQR reads them. */
const FALLBACK_MAX_SIDE = 640;

export async function createQrReader(): Promise<QrReader> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (Native) {
    try {
      if ((await Native.getSupportedFormats()).includes("qr_code")) {
        const detector = new Native({ formats: ["qr_code"] });
        return {
          kind: "native",
          intervalMs: 120,
          async read(video) {
            const codes = await detector.detect(video);
            return codes[0]?.rawValue ?? null;
          },
        };
      }
    } catch {
      // A detector that fails to start is no detector: fall back below.
    }
  }
  return createFallbackReader();
}

/** Starts downloading the fallback decoder early (when the browser has no detector), so it is cached for going offline. */
export function preloadFallbackDecoder() {
  if (!(globalThis as { BarcodeDetector?: unknown }).BarcodeDetector) void import("jsqr").catch(() => undefined);
}

async function createFallbackReader(): Promise<QrReader> {
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("no canvas");
  return {
    kind: "jsqr",
    intervalMs: 250,
    async read(video) {
      const { videoWidth, videoHeight } = video;
      if (!videoWidth || !videoHeight) return null;
      const scale = Math.min(1, FALLBACK_MAX_SIDE / Math.max(videoWidth, videoHeight));
      const width = Math.round(videoWidth * scale);
      const height = Math.round(videoHeight * scale);
      if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
      context.drawImage(video, 0, 0, width, height);
      const image = context.getImageData(0, 0, width, height);
      // Printed cards are dark on light: skipping the inverted pass halves the work on a slow phone.
      return jsQR(image.data, width, height, { inversionAttempts: "dontInvert" })?.data ?? null;
    },
  };
}

export type CameraProblem = "denied" | "noCamera" | "unavailable" | "failed";

/** The rear camera, as a stream; or why not, in words the page can explain. */
export async function openRearCamera(): Promise<{ ok: true; stream: MediaStream } | { ok: false; problem: CameraProblem }> {
  if (!navigator.mediaDevices?.getUserMedia) return { ok: false, problem: "unavailable" };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    return { ok: true, stream };
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === "NotAllowedError" || name === "SecurityError") return { ok: false, problem: "denied" };
    if (name === "NotFoundError" || name === "OverconstrainedError") return { ok: false, problem: "noCamera" };
    if (name === "NotReadableError") return { ok: false, problem: "unavailable" };
    return { ok: false, problem: "failed" };
  }
}
