import { useEffect, useRef, useState, type FormEvent } from "react";
import { preloadFallbackDecoder } from "~/modules/scanner/decoder";
import { enableOfflineScanner } from "~/modules/scanner/offline";
import { precheckPassport } from "~/modules/scanner/protocol";
import { RepeatFilter, type QueuedScan } from "~/modules/scanner/queue";
import { useTranslate } from "~/modules/i18n/use-translate";
import { CameraPanel } from "./camera-panel";
import { QueueLists } from "./queue-lists";
import { ScanResult, type ScanDisplay } from "./scan-result";
import { useScanQueue } from "./use-scan-queue";
import { receivedKey } from "~/modules/i18n/i18n";

function displayOf(scan: QueuedScan): ScanDisplay {
  if (scan.state === "issued" && scan.issued) return { kind: "issued", ...scan.issued };
  if (scan.state === "refused" && scan.refusal) return { kind: "refused", ...scan.refusal };
  return { kind: "waiting", problem: scan.problem };
}

/** A short buzz for a credit, a longer double one for a refusal: felt through a glove. */
function buzz(display: ScanDisplay) {
  if (display.kind === "issued") navigator.vibrate?.(80);
  else if (display.kind === "refused" || display.kind === "notPassport") navigator.vibrate?.([200, 100, 200]);
}

/**
 * The scanner: the answer panel, the camera, the typed-number form and the phone's queue.
 * Drawn on the server as a plain form that works without JavaScript (the route's action
 * gives the credit); once the page has come to life the same form, and the camera, go
 * through the offline queue instead.
 */
export function Scanner({
  sessionId,
  owner,
  formKey,
  serverResult,
  fieldError,
  typed,
}: {
  sessionId: string;
  /** An opaque id of the person signed in, so each person's queued scans are kept apart. */
  owner: string;
  /** The idempotency key of the no-JavaScript form, made when the page was drawn. */
  formKey: string;
  serverResult: ScanDisplay | null;
  fieldError: string | null;
  typed: string;
}) {
  const { t } = useTranslate();
  const { view, submit, dismiss, retryNow } = useScanQueue(owner);
  const [display, setDisplay] = useState<ScanDisplay | null>(serverResult);
  const [error, setError] = useState<string | null>(fieldError);
  const [hydrated, setHydrated] = useState(false);
  const repeat = useRef(new RepeatFilter());
  const input = useRef<HTMLInputElement>(null);
  // Only the latest scan's answer goes in the big panel; earlier ones land in the lists.
  const latest = useRef(0);

  useEffect(() => {
    setHydrated(true);
    void enableOfflineScanner();
    preloadFallbackDecoder();
  }, []);
  useEffect(() => setDisplay(serverResult), [serverResult]);
  useEffect(() => setError(fieldError), [fieldError]);

  const show = (next: ScanDisplay) => {
    setDisplay(next);
    buzz(next);
  };
  const showNow = (next: ScanDisplay) => {
    latest.current++;
    show(next);
  };

  const send = async (passport: string, via: "camera" | "typed") => {
    const mine = ++latest.current;
    setDisplay({ kind: "sending" });
    const scan = await submit(sessionId, passport, via);
    if (mine === latest.current) show(scan ? displayOf(scan) : { kind: "waiting", problem: null });
  };

  const onRead = (text: string) => {
    if (!repeat.current.accept(text, Date.now())) return;
    const check = precheckPassport(text);
    if (check === "NOT_A_PASSPORT") return showNow({ kind: "notPassport" });
    if (check !== "ok") return showNow({ kind: "refused", code: check, child: null });
    void send(text, "camera");
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    // Until the queue is read back from the phone, the form simply posts to the server.
    if (!view.ready || !input.current) return;
    event.preventDefault();
    const field = input.current;
    const value = field.value.trim();
    const check = value ? precheckPassport(value) : "NOT_A_PASSPORT";
    field.focus();
    if (!value || check === "NOT_A_PASSPORT") return setError(value ? "scanner.errors.notANumber" : "scanner.errors.passportRequired");
    setError(null);
    // A mistyped number stays in the box to be put right; a good one clears it for the next child.
    if (check !== "ok") return showNow({ kind: "refused", code: check, child: null });
    field.value = "";
    void send(value, "typed");
  };

  return (
    <div className="space-y-8">
      {hydrated && !view.online ? <p className="border-l-4 border-amber-600 bg-amber-50 p-3 font-semibold text-amber-950">{t("scanner.offline")}</p> : null}
      {hydrated && view.ready && !view.persistent ? <p className="border-l-4 border-amber-600 bg-amber-50 p-3">{t("scanner.notPersistent")}</p> : null}

      {/* Always in the page, so screen readers announce each new answer. */}
      <div aria-live="assertive" aria-atomic="true" data-testid="scan-result">
        {display ? <ScanResult display={display} /> : null}
      </div>

      {hydrated ? <CameraPanel onRead={onRead} /> : null}

      <section aria-labelledby="typed-heading" className="space-y-3">
        <h2 id="typed-heading" className="text-2xl font-semibold">
          {t("scanner.typed.heading")}
        </h2>
        <form method="post" onSubmit={onSubmit} noValidate className="space-y-3">
          <input type="hidden" name="idempotencyKey" value={formKey} />
          <div className={`space-y-1 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
            <label htmlFor="passport" className="block text-lg font-semibold">
              {t("scanner.typed.label")}
            </label>
            <p id="passport-hint" className="text-slate-700">
              {t("scanner.typed.hint")}
            </p>
            {error ? (
              <p id="passport-error" role="alert" className="font-semibold text-red-800">
                <span className="sr-only">{t("forms.errorPrefix")} </span>
                {t(receivedKey(error))}
              </p>
            ) : null}
            <input
              ref={input}
              id="passport"
              name="passport"
              defaultValue={typed}
              autoComplete="off"
              autoCapitalize="characters"
              autoCorrect="off"
              spellCheck={false}
              enterKeyHint="send"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "passport-hint passport-error" : "passport-hint"}
              className={`block min-h-14 w-full max-w-md rounded border-2 px-3 py-2 font-mono text-2xl uppercase tracking-wider ${error ? "border-red-700" : "border-slate-700"}`}
            />
          </div>
          <button type="submit" className="min-h-14 w-full rounded bg-brand-700 px-5 py-3 text-lg font-semibold text-white hover:bg-brand-900 sm:w-auto">
            {t("scanner.typed.submit")}
          </button>
        </form>
      </section>

      {hydrated ? (
        <QueueLists
          sessionId={sessionId}
          waiting={view.waiting}
          refused={view.refused}
          issued={view.issued}
          onDismiss={(key) => void dismiss(key)}
          onRetry={retryNow}
        />
      ) : null}
    </div>
  );
}
