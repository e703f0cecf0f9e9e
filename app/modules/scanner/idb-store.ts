import { createStore, del, entries, set } from "idb-keyval";
import { memoryStore, type QueuedScan, type QueueStore } from "./queue";

/**
 * The scanner queue's store in the browser: IndexedDB (through idb-keyval, a few hundred
 * bytes), so scans survive the page closing, the phone locking or the battery dying. Each
 * person's scans are kept apart (by an opaque id from the page), so a phone shared by two
 * volunteers sends each one's scans only when that person is signed in.
 *
 * Where IndexedDB cannot be opened (some private modes), scans are kept in the page only,
 * and the page says so.
 */
export async function openScanStore(owner: string): Promise<{ store: QueueStore; persistent: boolean }> {
  try {
    if (typeof indexedDB === "undefined") throw new Error("no IndexedDB");
    const idb = createStore("pasbort-scanner", "scans");
    const prefix = `${owner}:`;
    const store: QueueStore = {
      async all() {
        const rows = await entries<string, QueuedScan>(idb);
        return rows.filter(([key]) => key.startsWith(prefix)).map(([, scan]) => scan);
      },
      put: (scan) => set(prefix + scan.key, scan, idb),
      remove: (key) => del(prefix + key, idb),
    };
    await store.all(); // fails here, not later, when the browser refuses IndexedDB
    return { store, persistent: true };
  } catch {
    return { store: memoryStore(), persistent: false };
  }
}

/** Asks the browser not to clear this site's storage when space runs low (granted or not, no prompt). */
export function askForPersistentStorage() {
  void navigator.storage?.persist?.().catch(() => false);
}
