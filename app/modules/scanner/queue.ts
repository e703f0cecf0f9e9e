import { newIdempotencyKey, type IssuedResult, type RefusedResult, type SendOutcome, type SendProblem } from "./protocol";

/**
 * The scanner's outbox. Every scan goes in here first, with its idempotency key made at the
 * moment the card was read, and is sent from here: at once when there is signal, later when
 * there is not. A scan leaves the queue only with an answer about it — credited, or refused
 * with a reason — so nothing is lost to a dropped connection, and a retry can never count
 * twice because the ledger answers a key it has seen with its first answer.
 *
 * Pure logic: the store (IndexedDB in the browser, a Map in tests), the clock and the key
 * maker are passed in.
 */

export type ScanVia = "camera" | "typed";

export interface QueuedScan {
  /** The idempotency key: made once, when the passport was read, and sent with every try. */
  key: string;
  sessionId: string;
  /** What was read or typed, sent as it is; the server finds the child. */
  passport: string;
  via: ScanVia;
  scannedAt: number;
  state: "waiting" | "issued" | "refused";
  attempts: number;
  /** Why the last try got no answer; null before the first try. */
  problem: SendProblem | null;
  issued: IssuedResult | null;
  refusal: RefusedResult | null;
}

/** Where waiting and refused scans are kept between page loads. */
export interface QueueStore {
  all(): Promise<QueuedScan[]>;
  put(scan: QueuedScan): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface QueueOptions {
  now?: () => number;
  newKey?: () => string;
  /** 0 ≤ random() < 1, for the jitter that keeps many phones from retrying in step. */
  random?: () => number;
}

/** First retry after about 2 s, doubling to at most 5 minutes: gentle on a weak signal and a small battery. */
export const RETRY_BASE_MS = 2_000;
export const RETRY_MAX_MS = 5 * 60_000;

/** The wait before the next try after `failures` tries in a row got no answer (half to all of the step). */
export function retryDelay(failures: number, random: () => number = Math.random) {
  const step = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** How many credited scans the page keeps showing as "given on this phone". */
const RECENT_LIMIT = 20;
/**
 * How long the phone keeps them, so a reload (offline too) still shows them: a session's day.
 * Kept is only what the list shows (given name, family initial, hours, time), never the passport.
 */
export const ISSUED_KEEP_MS = 12 * 3_600_000;

export type Send = (scan: QueuedScan) => Promise<SendOutcome>;

export class ScanQueue {
  private readonly scans = new Map<string, QueuedScan>();
  private recent: QueuedScan[] = [];
  /** The connection, not a scan, is what fails: so the back-off is the queue's, not each scan's. */
  private failures = 0;
  private pausedUntil = 0;
  private running: Promise<void> | null = null;
  private readonly inFlight = new Set<string>();
  private again = false;
  private readonly now: () => number;
  private readonly newKey: () => string;
  private readonly random: () => number;

  constructor(
    private readonly store: QueueStore,
    options: QueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.newKey = options.newKey ?? newIdempotencyKey;
    this.random = options.random ?? Math.random;
  }

  /** Picks up what an earlier page left: scans still waiting, refusals not yet dismissed, and today's credits. */
  async load() {
    const issued: QueuedScan[] = [];
    for (const scan of await this.store.all()) {
      if (scan.state !== "issued") this.scans.set(scan.key, scan);
      else if (this.now() - scan.scannedAt < ISSUED_KEEP_MS) issued.push(scan);
      else await this.store.remove(scan.key);
    }
    issued.sort((a, b) => b.scannedAt - a.scannedAt);
    for (const dropped of issued.splice(RECENT_LIMIT)) await this.store.remove(dropped.key);
    this.recent = issued;
  }

  /** Records a scan before anything is sent, so closing the page or losing signal cannot lose it. */
  async enqueue(input: { sessionId: string; passport: string; via: ScanVia }): Promise<QueuedScan> {
    const scan: QueuedScan = {
      key: this.newKey(),
      sessionId: input.sessionId,
      passport: input.passport.trim(),
      via: input.via,
      scannedAt: this.now(),
      state: "waiting",
      attempts: 0,
      problem: null,
      issued: null,
      refusal: null,
    };
    this.scans.set(scan.key, scan);
    await this.store.put(scan);
    return scan;
  }

  get(key: string): QueuedScan | undefined {
    return this.scans.get(key) ?? this.recent.find((scan) => scan.key === key);
  }

  /** Scans with no answer yet, oldest first. */
  waiting(): QueuedScan[] {
    return this.sorted((scan) => scan.state === "waiting");
  }

  /** Scans the rules refused, kept until someone has seen and dismissed them. */
  refused(): QueuedScan[] {
    return this.sorted((scan) => scan.state === "refused");
  }

  /** Credited scans, newest first: the last 20 of the last 12 hours (ISSUED_KEEP_MS). */
  issued(): QueuedScan[] {
    return [...this.recent];
  }

  /** When the next try is due, or null when nothing waits. */
  nextTryAt(): number | null {
    return this.waiting().length > 0 ? this.pausedUntil : null;
  }

  /** The signal is back (or someone asked): try everything now rather than after the back-off. */
  resume() {
    this.failures = 0;
    this.pausedUntil = 0;
  }

  /** Applies the answer to one try. */
  async record(key: string, outcome: SendOutcome): Promise<QueuedScan | undefined> {
    const scan = this.scans.get(key);
    if (!scan || scan.state !== "waiting") return scan;
    scan.attempts += 1;
    switch (outcome.kind) {
      case "issued": {
        // The passport read is no longer needed: what stays is what the list shows.
        Object.assign(scan, { state: "issued", problem: null, issued: outcome.result, passport: "" });
        this.scans.delete(key);
        const [kept, dropped] = [[scan, ...this.recent].slice(0, RECENT_LIMIT), this.recent.slice(RECENT_LIMIT - 1)];
        this.recent = kept;
        await this.store.put(scan);
        for (const old of dropped) await this.store.remove(old.key);
        this.resume();
        return scan;
      }
      case "refused": {
        Object.assign(scan, { state: "refused", problem: null, refusal: outcome.refusal });
        await this.store.put(scan);
        this.resume();
        return scan;
      }
      case "retry":
      case "blocked": {
        scan.problem = outcome.problem;
        await this.store.put(scan);
        this.failures += 1;
        this.pausedUntil = this.now() + retryDelay(this.failures, this.random);
        return scan;
      }
    }
  }

  /** Forgets a refused scan once the volunteer has dealt with it. */
  async dismiss(key: string) {
    const scan = this.scans.get(key);
    if (!scan || scan.state !== "refused") return;
    this.scans.delete(key);
    await this.store.remove(key);
  }

  /**
   * Sends one scan now, whatever the back-off says: a card just scanned deserves a try of its
   * own, and its answer is what the volunteer is waiting to see. Returns the scan as it then
   * stands. A scan already on its way is not sent again alongside.
   */
  async sendNow(key: string, send: Send, onChange?: () => void): Promise<QueuedScan | undefined> {
    const scan = this.scans.get(key);
    if (!scan || scan.state !== "waiting" || this.inFlight.has(key)) return this.get(key);
    await this.attempt(scan, send);
    onChange?.();
    return this.get(key);
  }

  /**
   * Sends waiting scans, oldest first, one at a time. Stops at the first try that gets no
   * answer (the next would fare no better) and waits out the back-off. Calls made while a run
   * is going join it, and it goes round once more, so nothing is sent twice at once.
   */
  flush(send: Send, onChange?: () => void): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        if (this.now() < this.pausedUntil) break;
        for (const scan of this.waiting()) {
          if (this.inFlight.has(scan.key)) continue;
          const outcome = await this.attempt(scan, send);
          onChange?.();
          if (outcome.kind === "retry" || outcome.kind === "blocked") break;
        }
      } while (this.again);
    };
    // .finally runs after this assignment even when the run ends without waiting for anything.
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async attempt(scan: QueuedScan, send: Send): Promise<SendOutcome> {
    this.inFlight.add(scan.key);
    try {
      const outcome = await send(scan);
      await this.record(scan.key, outcome);
      return outcome;
    } finally {
      this.inFlight.delete(scan.key);
    }
  }

  private sorted(filter: (scan: QueuedScan) => boolean) {
    return [...this.scans.values()].filter(filter).sort((a, b) => a.scannedAt - b.scannedAt);
  }
}

/** A store that lives only as long as the page: for tests, and where IndexedDB is not available. */
export function memoryStore(initial: QueuedScan[] = []): QueueStore & { snapshot(): QueuedScan[] } {
  const rows = new Map(initial.map((scan) => [scan.key, structuredClone(scan)]));
  return {
    async all() {
      return [...rows.values()].map((scan) => structuredClone(scan));
    },
    async put(scan) {
      rows.set(scan.key, structuredClone(scan));
    },
    async remove(key) {
      rows.delete(key);
    },
    snapshot() {
      return [...rows.values()].map((scan) => structuredClone(scan));
    },
  };
}

/**
 * A camera sees the same card many times a second. A code read again while it stays in view
 * (or within `windowMs` of last being seen) is the same scan; another card is a new one.
 */
export class RepeatFilter {
  private last: { code: string; seenAt: number } | null = null;

  constructor(private readonly windowMs = 4_000) {}

  accept(code: string, now: number): boolean {
    const repeat = this.last !== null && this.last.code === code && now - this.last.seenAt < this.windowMs;
    this.last = { code, seenAt: now };
    return !repeat;
  }
}
