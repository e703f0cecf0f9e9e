/**
 * Starts Pasbort: opens the database (embedded PGlite, or PostgreSQL at DATABASE_URL),
 * brings it up to date, and serves the Remix app. Settings that stop start-up are reported
 * in one line naming the setting.
 */
import cluster from "node:cluster";
import { createServer } from "node:http";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import {
  ConfigError,
  configFromEnv,
  credentialKeySecret,
  demoFromEnv,
  httpTimeoutsFromEnv,
  publicOriginFromEnv,
  reportsConfigFromEnv,
  webConcurrency,
} from "~/modules/db/config";
import { projectPath } from "~/modules/project-path.server";

// server.ts runs from source (tsx) or compiled into build/server/ (npm run build, then npm run serve).
const root = projectPath();
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";

async function main() {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT: "${process.env.PORT}" is not a port number (1 to 65535).`);
  }
  const config = configFromEnv();
  // Links in emails come from here only: a real install without PUBLIC_URL does not start.
  const publicOrigin = publicOriginFromEnv();
  const workers = webConcurrency(process.env, config.kind);
  credentialKeySecret(process.env);
  const reportsConfig = reportsConfigFromEnv(process.env, config.kind);
  const timeouts = httpTimeoutsFromEnv(process.env);
  // Demo data only when asked for (DEMO=1, `npm run demo`); a demo database says so on every page.
  const demo = demoFromEnv();
  // `npm run serve` supervises its server processes: one that stops is replaced. `npm run dev`
  // runs the server in one process (tsx watch restarts it, and Remix's dev server talks to it).
  if (cluster.isPrimary && process.env.NODE_ENV !== "development") return superviseWorkers(workers);
  reportUncaughtErrors();

  // The app's modules are loaded only in a process that uses them: a supervisor stays small.
  const [
    { createRequestHandler },
    { default: express },
    { default: compression },
    { default: expressStaticGzip },
    { authenticate },
    { openDatabase },
    { setDb, setReportsDb },
    { openReportsDatabase },
    { dataNotes, prepareDatabase },
    { isCrossSiteWrite },
    { assignCspNonce, securityHeaders },
    { answerBeforePages, resourceActionHandler },
    { childRefusal },
    { isDatabaseUnavailable },
    { databaseUnavailableAnswer, rootStylesheets },
    { createRequest, sendResponse },
  ] = await Promise.all([
    import("@remix-run/express"),
    import("express"),
    import("compression"),
    import("express-static-gzip"),
    import("~/modules/accounts/auth.server"),
    import("~/modules/db/database.server"),
    import("~/modules/db/db.server"),
    import("~/modules/db/reports-db.server"),
    import("~/modules/db/startup.server"),
    import("~/modules/http/cross-site"),
    import("~/modules/http/security-headers.server"),
    import("~/modules/http/direct-route.server"),
    import("~/modules/children/child-sign-in.server"),
    import("~/modules/db/unavailable.server"),
    import("~/modules/http/unavailable-page.server"),
    import("@remix-run/node-fetch-server"),
  ]);
  const { credentialAtVerifyAddress } = await import("~/modules/certificates/badge-files.server");
  const { describeMail } = await import("~/modules/email/email.server");
  // Whether emails (resets, invitations) can reach anyone: said once, at start-up.
  const reportMail = async () => {
    const mail = await describeMail();
    (mail.ok ? console.log : console.error)(mail.message);
  };
  const db = await openDatabase(config);
  setDb(db);
  // Reports on a streaming replica: nothing is asked of it until the first report.
  const reports = reportsConfig ? openReportsDatabase(reportsConfig, db) : null;
  if (reports) setReportsDb({ db: reports.db, health: () => reports.pool.health() });
  const closeDatabases = () => Promise.all([reports?.db.destroy(), db.destroy()]);
  if (process.env[WORKER_ROLE] === "prepare") {
    const done = await prepareDatabase(db, { seedDemo: demo });
    console.log(describeDatabase("PostgreSQL (DATABASE_URL)", done));
    for (const line of dataNotes(done, false)) console.log(line);
    await reportMail();
    await closeDatabases();
    process.exit(0);
  }
  // Several processes: a short-lived one has prepared the database before the servers start.
  // One (the default, and the only choice with PGlite) prepares it itself, each time it starts.
  const prepared = process.env[WORKER_ROLE] === "serve" ? null : await prepareDatabase(db, { seedDemo: demo });

  // `npm run dev` rebuilds without `npm run build`'s later steps: the strings by route come from here.
  if (process.env.NODE_ENV === "development") (await import("./scripts/split-strings")).writeStringFiles(root);
  const build = (await import(path.join(root, "build/index.js"))) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, TRUST_PROXY (e.g. "1" or "loopback") lets rate limits see the real client.
  if (process.env.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY);
  app.use(assignCspNonce, ...securityHeaders());
  // Fingerprinted assets: the Brotli or gzip copy written at build time (scripts/precompress-assets.mjs),
  // as the browser accepts, cached for a year.
  app.use(
    "/build",
    expressStaticGzip(path.join(root, "public/build"), {
      enableBrotli: true,
      orderPreference: ["br", "gz"],
      index: false,
      serveStatic: { immutable: true, maxAge: "1y" },
    }),
  );
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.use((req, res, next) => {
    const crossSite = isCrossSiteWrite(req.method, {
      origin: req.get("origin"),
      host: req.get("host"),
      secFetchSite: req.get("sec-fetch-site"),
    });
    if (!crossSite) return next();
    res
      .status(403)
      .type("text/plain; charset=utf-8")
      .send("Gwrthodwyd y cais hwn am ei fod wedi dod o wefan arall.\nThis request came from another website and was refused.");
  });
  const loadContext = (req: ExpressRequest, res: ExpressResponse) => ({
    signedIn: res.locals.signedIn ?? null,
    cspNonce: res.locals.cspNonce as string,
    clientAddress: req.ip ?? "unknown",
  });
  // The scanner API's hot path, straight to its route module (it takes no session cookie, so
  // it comes before the cookie's sign-in below).
  app.post("/api/v1/credits", resourceActionHandler(build, "routes/api.v1.credits", loadContext));
  // Pages, loader data and the rest of the API, compressed as the client accepts (Brotli first).
  // After the credits API: its answers are a few hundred bytes, below any gain (ADR 0016).
  app.use(compression());
  // The certificate's QR code address answers a wallet that asks for JSON with the credential
  // itself (public, no session); a browser still gets the page (docs/credentials.md).
  app.get("/verify/:certificateId", answerBeforePages(credentialAtVerifyAddress(db)));
  app.use((req, res, next) => {
    authenticate(db, req.headers.cookie)
      .then(({ signedIn, setCookie }) => {
        if (setCookie) res.append("Set-Cookie", setCookie);
        // A child's own session reaches the child's pages and nothing else (issue 16).
        const refusal = childRefusal(signedIn, req.method, req.path);
        if (refusal?.redirectTo) return res.redirect(303, refusal.redirectTo);
        if (refusal) return res.status(403).type("text/plain; charset=utf-8").send(refusal.text);
        res.locals.signedIn = signedIn;
        next();
      })
      .catch(next);
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: loadContext,
    }),
  );
  // The sign-in check (or anything before the pages) found the database gone: the app's own
  // 503 page in the reader's language, or the API's JSON, instead of Express's bare 500.
  const stylesheets = rootStylesheets(build.routes.root?.module);
  app.use((error: unknown, req: ExpressRequest, res: ExpressResponse, next: (error: unknown) => void) => {
    if (res.headersSent || !isDatabaseUnavailable(error)) return next(error);
    const request = createRequest(req, res, { protocol: `${req.protocol}:` });
    databaseUnavailableAnswer(request, error, stylesheets)
      .then((response) => sendResponse(res, response))
      .catch(next);
  });

  // A client that sends its headers slowly or not at all is answered 408 and cut off, so idle
  // sockets do not pile up; an idle kept-alive connection is closed (HTTP_*_SECONDS).
  const { keepAliveTimeout, ...whileReading } = timeouts;
  const server = createServer(whileReading, app);
  server.keepAliveTimeout = keepAliveTimeout;
  server.listen(port, host);
  server.on("error", (error: NodeJS.ErrnoException) => {
    const why = error.code === "EADDRINUSE" ? "is already in use" : `cannot be used (${error.code ?? error.message})`;
    console.error(`PORT: port ${port} ${why}. Stop the other program or set PORT to a free port.`);
    void closeDatabases().finally(() => process.exit(1));
  });
  server.on("listening", () => {
    // `npm run dev`: tell Remix's dev server this build is being served, so the browser reloads.
    if (process.env.NODE_ENV === "development") void import("@remix-run/node").then(({ broadcastDevReady }) => broadcastDevReady(build));
    if (!prepared) return;
    console.log(`Pasbort is running at http://localhost:${port}`);
    console.log(`Links in emails and letters point to ${publicOrigin}${process.env.PUBLIC_URL ? " (PUBLIC_URL)" : " (set PUBLIC_URL to change it)"}.`);
    void reportMail();
    console.log(describeDatabase(config.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${config.dir}`, prepared));
    if (reportsConfig)
      console.log(`Reports read the replica at REPORTS_DATABASE_URL while it is at most ${reportsConfig.maxLagSeconds} s behind, else the primary.`);
    for (const line of dataNotes(prepared, config.kind === "pglite")) console.log(line);
  });

  // Close the database cleanly: PGlite writes its files on close.
  const stop = (code: number) => {
    server.close();
    void closeDatabases().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => stop(0));
  process.once("SIGTERM", () => stop(0));
  closeOnUncaughtError = () => stop(1);
}

/** How a server process stopped by an uncaught error closes its database (set once it has one). */
let closeOnUncaughtError: (() => void) | null = null;

/**
 * An error nobody caught (or a promise rejection nobody handled) stops the process, as Node
 * would, but says so in the log first, with the process and the error whole; the database is
 * closed if that takes no more than a few seconds. The supervisor then starts another.
 */
function reportUncaughtErrors() {
  let stopping = false;
  process.on("uncaughtException", (error, origin) => {
    const what = origin === "unhandledRejection" ? "a promise rejection nobody handled" : "an error nobody caught";
    console.error(`Server process ${process.pid} is stopping because of ${what}:`, error);
    if (stopping || !closeOnUncaughtError) process.exit(1);
    stopping = true;
    setTimeout(() => process.exit(1), 3_000).unref();
    closeOnUncaughtError();
  });
}

const WORKER_ROLE = "PASBORT_WORKER_ROLE";

function describeDatabase(
  where: string,
  prepared: { reference: { lsoas: number; lsoas21: number; moved: { waiting: { child: number } } }; migrations: string[] },
) {
  const { lsoas, lsoas21, moved } = prepared.reference;
  const waiting = moved.waiting.child ? `; ${moved.waiting.child} children wait for a postcode to be placed on a 2021 LSOA` : "";
  return `Database: ${where}; ${lsoas} LSOAs of 2011 (WIMD 2019) and ${lsoas21} of 2021 (WIMD 2025) loaded${waiting}${prepared.migrations.length ? `; migrations applied: ${prepared.migrations.join(", ")}` : ""}.`;
}

/**
 * The server processes, supervised (node:cluster): `npm run serve` runs one by default, or
 * WEB_CONCURRENCY of them sharing the port, so HTTP and rendering work use every core. This
 * process only supervises. With several, a first worker prepares the database (migrations,
 * reference data) and exits, then the servers start; one alone prepares it itself. One that
 * stops later, for whatever reason, is replaced, and the log says why it stopped; one that
 * stops again and again soon after starting is replaced after a growing pause (up to 30 s), so
 * a database that is away for long is not hammered.
 */
async function superviseWorkers(workers: number) {
  const role = workers === 1 ? "prepare-and-serve" : "serve";
  if (workers > 1) {
    const prepare = cluster.fork({ [WORKER_ROLE]: "prepare" });
    const prepared = await new Promise<boolean>((resolve) => prepare.once("exit", (code) => resolve(code === 0)));
    if (!prepared) {
      console.error("Pasbort could not prepare the database; not starting.");
      process.exit(1);
    }
  }
  let stopping = false;
  let started = false;
  let listening = 0;
  let quickStops = 0;
  const startedAt = new Map<number, number>();
  const pending = new Set<NodeJS.Timeout>();
  const running = () => Object.keys(cluster.workers ?? {}).length;
  const start = () => startedAt.set(cluster.fork({ [WORKER_ROLE]: role }).id, Date.now());
  cluster.on("listening", () => {
    listening += 1;
    if (listening < workers || started) return;
    started = true;
    // One process says so itself, with what it found in the database.
    if (workers > 1) console.log(`Pasbort is running at http://localhost:${port} (${workers} server processes, PostgreSQL at DATABASE_URL).`);
  });
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (running() === 0) process.exit();
      return;
    }
    // A process that cannot start (say, the port is taken) would fail again: stop everything.
    if (!started) {
      console.error("A server process stopped while starting; stopping Pasbort.");
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      process.exitCode = 1;
      if (running() === 0) process.exit();
      return;
    }
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    quickStops = lived < QUICK_STOP_MS ? quickStops + 1 : 0;
    const pause = quickStops > 1 ? Math.min(MAX_RESTART_PAUSE_MS, 1_000 * 2 ** (quickStops - 2)) : 0;
    console.error(`Server process ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another${pause ? ` in ${pause / 1000} s` : ""}.`);
    const timer = setTimeout(() => {
      pending.delete(timer);
      start();
    }, pause);
    pending.add(timer);
  });
  for (let i = 0; i < workers; i++) start();
  const stop = () => {
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    if (running() === 0) process.exit();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** A server process that stops sooner than this after it started counts towards a pause before the next. */
const QUICK_STOP_MS = 30_000;
const MAX_RESTART_PAUSE_MS = 30_000;

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error instanceof Error && (error.name === "ReferenceDataError" || error.name === "DemoRefusedError"))) {
    console.error(error.message);
  } else {
    console.error("Pasbort could not start:", error);
  }
  process.exit(1);
});
