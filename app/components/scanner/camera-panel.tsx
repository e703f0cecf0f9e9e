import { useCallback, useEffect, useRef, useState } from "react";
import { createQrReader, openRearCamera, type CameraProblem } from "~/modules/scanner/decoder";
import { useTranslate } from "~/modules/i18n/use-translate";

type CameraState = { kind: "off" } | { kind: "starting" } | { kind: "on" } | { kind: "problem"; problem: CameraProblem };

/**
 * The camera view. Off until asked (no surprise permission prompt, no battery spent), and off
 * again whenever the page is hidden. Every code it reads goes to `onRead`; telling the same
 * card from a new one is the caller's job.
 */
export function CameraPanel({ onRead }: { onRead: (text: string) => void }) {
  const { t } = useTranslate();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const loop = useRef<ReturnType<typeof setTimeout>>();
  const running = useRef(false);
  const readRef = useRef(onRead);
  readRef.current = onRead;
  const [state, setState] = useState<CameraState>({ kind: "off" });

  const stop = useCallback(() => {
    running.current = false;
    clearTimeout(loop.current);
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    if (video.current) video.current.srcObject = null;
  }, []);

  const start = useCallback(async () => {
    if (running.current) return;
    setState({ kind: "starting" });
    const camera = await openRearCamera();
    if (!camera.ok) return setState({ kind: "problem", problem: camera.problem });
    const element = video.current;
    if (!element) return camera.stream.getTracks().forEach((track) => track.stop());
    stream.current = camera.stream;
    element.srcObject = camera.stream;
    try {
      await element.play();
      const reader = await createQrReader();
      running.current = true;
      setState({ kind: "on" });
      const tick = async () => {
        if (!running.current) return;
        const text = element.readyState >= 2 ? await reader.read(element).catch(() => null) : null;
        if (text && running.current) readRef.current(text);
        loop.current = setTimeout(() => void tick(), reader.intervalMs);
      };
      void tick();
    } catch {
      stop();
      setState({ kind: "problem", problem: "failed" });
    }
  }, [stop]);

  // Hidden page, no camera: the phone's battery matters more than a frame or two.
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === "hidden" && running.current) {
        stop();
        setState({ kind: "off" });
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      stop();
    };
  }, [stop]);

  const on = state.kind === "on";
  // Shown while starting too: some phones will not play a video that is not on screen.
  const showVideo = on || state.kind === "starting";
  return (
    <section aria-labelledby="camera-heading" className="space-y-3">
      <h2 id="camera-heading" className="text-2xl font-semibold">
        {t("scanner.camera.heading")}
      </h2>
      <div className={showVideo ? "relative overflow-hidden rounded bg-black" : "hidden"}>
        <video ref={video} muted playsInline className="aspect-[4/3] w-full object-cover" aria-label={t("scanner.camera.videoLabel")} />
        {/* Where to hold the card. */}
        <div aria-hidden="true" className="pointer-events-none absolute inset-[12%] rounded-lg border-4 border-white/80" />
      </div>
      {on ? <p className="text-base">{t("scanner.camera.hint")}</p> : null}
      {state.kind === "problem" ? (
        <p role="alert" className="border-l-4 border-red-700 bg-red-50 p-3 font-semibold text-red-900">
          {t(`scanner.camera.problems.${state.problem}`)}
        </p>
      ) : null}
      {/* Never `disabled` while starting: a disabled button drops keyboard focus to the top of the page. */}
      <button
        type="button"
        onClick={() => {
          if (state.kind === "starting") return;
          if (on) {
            stop();
            setState({ kind: "off" });
          } else void start();
        }}
        aria-disabled={state.kind === "starting" || undefined}
        className={`min-h-14 w-full rounded px-5 py-3 text-lg font-semibold sm:w-auto ${
          on ? "border-2 border-slate-800 bg-white text-slate-900 hover:bg-slate-100" : "bg-brand-700 text-white hover:bg-brand-900"
        } aria-disabled:opacity-70`}
      >
        {on ? t("scanner.camera.stop") : state.kind === "starting" ? t("scanner.camera.starting") : t("scanner.camera.start")}
      </button>
    </section>
  );
}
