import { describe, expect, it } from "vitest";
import { formatPassportNumber, passportCheckCharacter } from "../passports/passport-number";
import { classifyResponse, newIdempotencyKey, precheckPassport, type SendOutcome } from "./protocol";
import { ISSUED_KEEP_MS, memoryStore, RepeatFilter, retryDelay, RETRY_MAX_MS, ScanQueue, type QueuedScan } from "./queue";

const SESSION = "7f9c2b64-3a4e-4b7a-9a53-2d8f1c0e5b11";
const issued = (givenName = "Cerys"): SendOutcome => ({
  kind: "issued",
  result: { replayed: false, child: { givenName, familyInitial: "J" }, hours: 2, totalHours: 14.5, awardsReached: [] },
});

/** A queue on a fake clock, with keys k1, k2, … and jitter fixed at its top. */
function setup(store = memoryStore()) {
  let now = 1_000_000;
  let n = 0;
  const queue = new ScanQueue(store, { now: () => now, newKey: () => `k${++n}`, random: () => 0.999999 });
  return { queue, store, clock: { advance: (ms: number) => (now += ms), now: () => now } };
}

/** A fake server: answers from a script, and records every key it was sent. */
function server(...answers: SendOutcome[]) {
  const sent: string[] = [];
  const send = async (scan: QueuedScan) => {
    sent.push(scan.key);
    return answers.shift() ?? issued();
  };
  return { send, sent };
}

describe("the offline scan queue", () => {
  it("stores a scan, with its own key, before anything is sent", async () => {
    const { queue, store } = setup();
    const scan = await queue.enqueue({ sessionId: SESSION, passport: "  WF-7K3M-9Q2D ", via: "typed" });
    expect(scan).toMatchObject({ key: "k1", passport: "WF-7K3M-9Q2D", state: "waiting", attempts: 0 });
    expect(store.snapshot()).toEqual([scan]);
    expect(queue.waiting().map((s) => s.key)).toEqual(["k1"]);
  });

  it("sends waiting scans oldest first, and keeps a credited one only as the list shows it (no passport)", async () => {
    const { queue, store, clock } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "a".repeat(32), via: "camera" });
    clock.advance(1000);
    await queue.enqueue({ sessionId: SESSION, passport: "b".repeat(32), via: "camera" });
    const { send, sent } = server(issued("Alaw"), issued("Ianto"));
    await queue.flush(send);
    expect(sent).toEqual(["k1", "k2"]);
    expect(queue.waiting()).toEqual([]);
    expect(queue.issued().map((s) => s.issued?.child.givenName)).toEqual(["Ianto", "Alaw"]);
    expect(store.snapshot().map((s) => [s.key, s.state, s.passport])).toEqual([
      ["k1", "issued", ""],
      ["k2", "issued", ""],
    ]);
  });

  it("shows the credits given on this phone again after a reload, for 12 hours, the last 20 only", async () => {
    const { queue, store, clock } = setup();
    for (let n = 0; n < 22; n++) {
      await queue.enqueue({ sessionId: SESSION, passport: `${n}`.padStart(32, "a"), via: "camera" });
      clock.advance(1000);
    }
    await queue.flush(server(...Array.from({ length: 22 }, (_, n) => issued(`Child ${n + 1}`))).send);
    expect(store.snapshot()).toHaveLength(20);

    // The page reloads (offline or not): a new queue on the same store.
    const reloaded = new ScanQueue(store, { now: clock.now });
    await reloaded.load();
    expect(reloaded.issued().map((s) => s.issued?.child.givenName)).toEqual(queue.issued().map((s) => s.issued?.child.givenName));
    expect(reloaded.issued()[0]?.issued?.child.givenName).toBe("Child 22");
    expect(reloaded.waiting()).toEqual([]);

    // The next day's page has forgotten them, on the phone too.
    clock.advance(ISSUED_KEEP_MS);
    const tomorrow = new ScanQueue(store, { now: clock.now });
    await tomorrow.load();
    expect(tomorrow.issued()).toEqual([]);
    expect(store.snapshot()).toEqual([]);
  });

  it("keeps a scan that got no answer and sends it again later with the same key", async () => {
    const { queue, store, clock } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "WF-7K3M-9Q2D", via: "typed" });
    const { send, sent } = server({ kind: "retry", problem: "offline" }, { kind: "retry", problem: "timeout" }, issued());
    await queue.flush(send);
    expect(queue.waiting()[0]).toMatchObject({ key: "k1", attempts: 1, problem: "offline" });
    expect(store.snapshot()[0]).toMatchObject({ attempts: 1, problem: "offline" });

    // Not before the back-off is over…
    await queue.flush(send);
    expect(sent).toEqual(["k1"]);
    clock.advance(retryDelay(1, () => 0.999999));
    await queue.flush(send);
    expect(queue.waiting()[0]).toMatchObject({ attempts: 2, problem: "timeout" });
    // …unless the signal comes back.
    queue.resume();
    await queue.flush(send);
    expect(sent).toEqual(["k1", "k1", "k1"]);
    expect(queue.waiting()).toEqual([]);
    expect(queue.issued()[0]).toMatchObject({ key: "k1", attempts: 3, state: "issued" });
  });

  it("backs off from about 2 seconds, doubling, to at most 5 minutes", () => {
    const top = () => 0.999999;
    expect(retryDelay(1, top)).toBe(2000);
    expect(retryDelay(2, top)).toBe(4000);
    expect(retryDelay(3, top)).toBe(8000);
    expect(retryDelay(30, top)).toBe(RETRY_MAX_MS);
    expect(retryDelay(3, () => 0)).toBe(4000);
  });

  it("stops at the first try with no answer rather than trying every scan against a dead connection", async () => {
    const { queue } = setup();
    for (const passport of ["a", "b", "c"]) await queue.enqueue({ sessionId: SESSION, passport: passport.repeat(32), via: "camera" });
    const { send, sent } = server({ kind: "retry", problem: "offline" });
    await queue.flush(send);
    expect(sent).toEqual(["k1"]);
    expect(queue.nextTryAt()).toBeGreaterThan(0);
    await queue.flush(send);
    expect(sent).toEqual(["k1"]);
    // A new scan gets a try of its own at once; its success shows the signal is back, so the rest go without waiting.
    const fresh = await queue.enqueue({ sessionId: SESSION, passport: "d".repeat(32), via: "camera" });
    expect(await queue.sendNow(fresh.key, send)).toMatchObject({ key: "k4", state: "issued" });
    await queue.flush(send);
    expect(sent).toEqual(["k1", "k4", "k1", "k2", "k3"]);
    expect(queue.waiting()).toEqual([]);
  });

  it("keeps a refused scan, with its reason, until it is dismissed", async () => {
    const { queue, store } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "WF-7K3M-9Q2E", via: "typed" });
    const { send } = server({ kind: "refused", refusal: { code: "PASSPORT_NUMBER_MISTYPED", child: null } });
    await queue.flush(send);
    expect(queue.waiting()).toEqual([]);
    expect(queue.refused()).toEqual([expect.objectContaining({ key: "k1", state: "refused", refusal: { code: "PASSPORT_NUMBER_MISTYPED", child: null } })]);
    expect(store.snapshot()[0]).toMatchObject({ state: "refused", refusal: { code: "PASSPORT_NUMBER_MISTYPED" } });

    const reloaded = new ScanQueue(store);
    await reloaded.load();
    expect(reloaded.refused().map((s) => s.key)).toEqual(["k1"]);
    await reloaded.dismiss("k1");
    expect(reloaded.refused()).toEqual([]);
    expect(store.snapshot()).toEqual([]);
  });

  it("waits, without giving up, while the volunteer must sign in again", async () => {
    const { queue } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "a".repeat(32), via: "camera" });
    const { send } = server({ kind: "blocked", problem: "signedOut" });
    await queue.flush(send);
    expect(queue.waiting()[0]).toMatchObject({ state: "waiting", problem: "signedOut" });
  });

  it("survives the page closing: a new queue on the same store picks up what was waiting", async () => {
    const store = memoryStore();
    const first = setup(store).queue;
    await first.enqueue({ sessionId: SESSION, passport: "a".repeat(32), via: "camera" });
    await first.enqueue({ sessionId: SESSION, passport: "b".repeat(32), via: "camera" });

    const second = new ScanQueue(store);
    await second.load();
    expect(second.waiting().map((s) => s.key)).toEqual(["k1", "k2"]);
    const { send, sent } = server();
    await second.flush(send);
    expect(sent).toEqual(["k1", "k2"]);
    expect(second.waiting()).toEqual([]);
    expect(store.snapshot().every((s) => s.state === "issued" && s.passport === "")).toBe(true);
  });

  it("never sends a scan twice at once, however many times it is asked to flush", async () => {
    const { queue } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "a".repeat(32), via: "camera" });
    const sent: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const send = async (scan: QueuedScan) => {
      sent.push(scan.key);
      await gate;
      return issued();
    };
    const runs = [queue.flush(send), queue.flush(send), queue.sendNow("k1", send)];
    const fresh = await queue.enqueue({ sessionId: SESSION, passport: "b".repeat(32), via: "camera" });
    runs.push(queue.sendNow(fresh.key, send), queue.flush(send));
    release();
    await Promise.all(runs);
    expect(sent.sort()).toEqual(["k1", "k2"]);
    expect(queue.issued()).toHaveLength(2);
  });

  it("ignores an answer for a scan that is no longer waiting", async () => {
    const { queue } = setup();
    await queue.enqueue({ sessionId: SESSION, passport: "a".repeat(32), via: "camera" });
    await queue.record("k1", issued());
    const again = await queue.record("k1", { kind: "refused", refusal: { code: "ALREADY_CREDITED", child: null } });
    expect(again).toBeUndefined();
    expect(queue.issued()[0]?.state).toBe("issued");
  });
});

describe("reading the server's answer", () => {
  const body = {
    replayed: true,
    credit: { id: "c", hours: 1.5, earnedOn: "2026-11-25" },
    child: { givenName: "Mali", familyInitial: "P", totalHours: 20 },
    awardsReached: [],
  };

  it("takes a credit (new or replayed) and a refusal as final answers", () => {
    expect(classifyResponse(201, { ...body, replayed: false })).toMatchObject({
      kind: "issued",
      result: { hours: 1.5, totalHours: 20, child: { givenName: "Mali" } },
    });
    expect(classifyResponse(200, body)).toMatchObject({ kind: "issued", result: { replayed: true } });
    expect(classifyResponse(409, { error: { code: "ALREADY_CREDITED", message: "…" }, child: { givenName: "Mali", familyInitial: "P" } })).toEqual({
      kind: "refused",
      refusal: { code: "ALREADY_CREDITED", child: { givenName: "Mali", familyInitial: "P" } },
    });
    expect(classifyResponse(404, { error: { code: "SESSION_NOT_FOUND", message: "…" } })).toMatchObject({ kind: "refused" });
  });

  it("keeps the scan for anything that is not an answer about it", () => {
    expect(classifyResponse(401, { error: { code: "UNAUTHORIZED", message: "" } })).toEqual({ kind: "blocked", problem: "signedOut" });
    expect(classifyResponse(403, "Forbidden")).toEqual({ kind: "blocked", problem: "forbidden" });
    expect(classifyResponse(503, null)).toEqual({ kind: "retry", problem: "server" });
    expect(classifyResponse(429, { error: { code: "X", message: "" } })).toEqual({ kind: "retry", problem: "server" });
    // A captive portal's page answered instead of ours.
    expect(classifyResponse(200, "<html>Sign in to the Wi-Fi</html>")).toEqual({ kind: "retry", problem: "server" });
    expect(classifyResponse(404, "<html>Not here</html>")).toEqual({ kind: "retry", problem: "server" });
  });
});

describe("the camera's repeat filter", () => {
  it("reads a card once while it stays in view, and again once it has been away a few seconds", () => {
    const filter = new RepeatFilter(4000);
    expect(filter.accept("A", 0)).toBe(true);
    expect(filter.accept("A", 100)).toBe(false);
    expect(filter.accept("A", 3900)).toBe(false);
    expect(filter.accept("A", 7800)).toBe(false);
    expect(filter.accept("A", 12_000)).toBe(true);
    expect(filter.accept("B", 12_100)).toBe(true);
    expect(filter.accept("A", 12_200)).toBe(true);
  });
});

describe("what a passport code looks like", () => {
  it("sends passport addresses and tokens, checks numbers on the phone, and refuses anything else", () => {
    const number = formatPassportNumber("WF", "7K3M9Q2" + passportCheckCharacter("7K3M9Q2"));
    const typo = number.slice(0, -1) + (number.endsWith("Z") ? "Y" : "Z");
    expect(precheckPassport("https://pasbort.example/p/3q2-7wX_kd9Vd0pQ1rT8mZyLc4")).toBe("ok");
    expect(precheckPassport("0123456789abcdef0123456789abcdef")).toBe("ok");
    expect(precheckPassport(number)).toBe("ok");
    expect(precheckPassport(number.toLowerCase().replaceAll("-", " "))).toBe("ok");
    expect(precheckPassport(typo)).toBe("PASSPORT_NUMBER_MISTYPED");
    expect(precheckPassport("https://example.org/menu")).toBe("NOT_A_PASSPORT");
    expect(precheckPassport("hello")).toBe("NOT_A_PASSPORT");
  });

  it("makes keys shaped like version-4 UUIDs", () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
