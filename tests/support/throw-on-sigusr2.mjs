// Preloaded into the server by tests (NODE_OPTIONS=--import …): SIGUSR2 makes a server process
// throw an error nobody catches, as a bug would, to see what the supervisor does about it.
import cluster from "node:cluster";

if (cluster.isWorker) {
  process.on("SIGUSR2", () => {
    throw new Error("a fault nobody caught (thrown by tests/support/throw-on-sigusr2.mjs)");
  });
}
