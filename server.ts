/**
 * Starts Pasbort: opens the database (embedded PGlite, or PostgreSQL at DATABASE_URL),
 * brings it up to date, and serves the Remix app. Settings that stop start-up are reported
 * in one line naming the setting.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { configFromEnv, ConfigError, openDatabase } from "~/modules/db/database.server";
import { setDb } from "~/modules/db/db.server";
import { prepareDatabase } from "~/modules/db/startup.server";
import { ReferenceDataError } from "~/modules/reference/lsoa.server";

const root = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";

async function main() {
  const config = configFromEnv();
  const db = await openDatabase(config);
  setDb(db);
  const prepared = await prepareDatabase(db, { seedDemo: config.kind === "pglite" });

  const build = (await import(path.join(root, "build/index.js"))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const server = app.listen(port, host);
  server.on("error", (error: NodeJS.ErrnoException) => {
    const why = error.code === "EADDRINUSE" ? "is already in use" : `cannot be used (${error.code ?? error.message})`;
    console.error(`PORT: port ${port} ${why}. Stop the other program or set PORT to a free port.`);
    void db.destroy().finally(() => process.exit(1));
  });
  server.on("listening", () => {
    const where = config.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${config.dir}`;
    console.log(`Pasbort is running at http://localhost:${port}`);
    console.log(`Database: ${where}; ${prepared.lsoas} LSOAs loaded${prepared.migrations.length ? `; migrations applied: ${prepared.migrations.join(", ")}` : ""}.`);
    if (prepared.demoSeeded) console.log("Demo data seeded (first run).");
  });

  // Close the database cleanly: PGlite writes its files on close.
  const stop = () => {
    server.close();
    void db.destroy().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ReferenceDataError) {
    console.error(error.message);
  } else {
    console.error("Pasbort could not start:", error);
  }
  process.exit(1);
});
