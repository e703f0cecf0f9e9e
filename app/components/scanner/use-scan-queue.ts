import { useCallback, useEffect, useRef, useState } from "react";
import { askForPersistentStorage, openScanStore } from "~/modules/scanner/idb-store";
import { ScanQueue, type QueuedScan, type ScanVia } from "~/modules/scanner/queue";
import { sendScan } from "~/modules/scanner/send";

export interface QueueView {
  /** False until the queue has been read back from the phone's storage. */
  ready: boolean;
  /** False where the browser would not let us keep scans (then they live in the page only). */
  persistent: boolean;
  online: boolean;
  waiting: QueuedScan[];
  refused: QueuedScan[];
  issued: QueuedScan[];
}

/**
 * The scanner page's hold on its queue: loads what an earlier visit left, sends when the
 * connection comes back (the browser's online event, the page coming back into view, and a
 * timer for the back-off), and hands the page a snapshot to draw.
 */
export function useScanQueue(owner: string) {
  const queueRef = useRef<ScanQueue | null>(null);
  const [view, setView] = useState<QueueView>({ ready: false, persistent: true, online: true, waiting: [], refused: [], issued: [] });
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const refresh = useCallback(() => {
    const queue = queueRef.current;
    if (!queue) return;
    setView((old) => ({ ...old, ready: true, waiting: queue.waiting(), refused: queue.refused(), issued: queue.issued() }));
  }, []);

  const flush = useCallback(async () => {
    const queue = queueRef.current;
    if (!queue) return;
    await queue.flush(sendScan, refresh);
    refresh();
    // The back-off's next try, if anything still waits.
    clearTimeout(timer.current);
    const next = queue.nextTryAt();
    if (next !== null) timer.current = setTimeout(() => void flush(), Math.max(250, next - Date.now()));
  }, [refresh]);

  useEffect(() => {
    let stopped = false;
    setView((old) => ({ ...old, online: navigator.onLine }));
    void (async () => {
      const { store, persistent } = await openScanStore(owner);
      const queue = new ScanQueue(store);
      await queue.load();
      if (stopped) return;
      queueRef.current = queue;
      setView((old) => ({ ...old, persistent }));
      refresh();
      void flush();
    })();
    const wake = () => {
      queueRef.current?.resume();
      void flush();
    };
    const onOnline = () => {
      setView((old) => ({ ...old, online: true }));
      wake();
    };
    const onOffline = () => setView((old) => ({ ...old, online: false }));
    const onVisible = () => {
      if (document.visibilityState === "visible") wake();
    };
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer.current);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [owner, flush, refresh]);

  /** Keeps a scan, tries it at once, and answers with how it then stands. */
  const submit = useCallback(
    async (sessionId: string, passport: string, via: ScanVia): Promise<QueuedScan | undefined> => {
      const queue = queueRef.current;
      if (!queue) return undefined;
      const scan = await queue.enqueue({ sessionId, passport, via });
      refresh();
      const after = await queue.sendNow(scan.key, sendScan, refresh);
      if (after?.state === "waiting") askForPersistentStorage();
      // After an answer, send whatever else was waiting (the connection works); after none,
      // this sets the timer for the next try.
      void flush();
      return after;
    },
    [flush, refresh],
  );

  const dismiss = useCallback(
    async (key: string) => {
      await queueRef.current?.dismiss(key);
      refresh();
    },
    [refresh],
  );

  const retryNow = useCallback(() => {
    queueRef.current?.resume();
    void flush();
  }, [flush]);

  return { view, submit, dismiss, retryNow };
}
