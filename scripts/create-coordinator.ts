/**
 * `npm run create-coordinator -- --email ceri@example.org --area wrexham-flintshire
 *    [--name "Ceri Hughes"] [--language cy|en]
 *    [--name-en "Children's University Wrexham" --name-cy "Prifysgol y Plant Wrecsam" --prefix WR]`
 *
 * Makes the first coordinator of an area (creating the area when the --name-en, --name-cy and
 * --prefix of a new one are given). The password comes from PASBORT_PASSWORD, or is asked
 * for on the terminal without showing it. Messages are in Welsh when LANG starts with "cy".
 * With the embedded database, stop the server first: PGlite must not be opened twice.
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { createCoordinator } from "~/modules/accounts/create-coordinator.server";
import { migrateToLatest } from "~/modules/db/migrate.server";
import { receivedKey, translator } from "~/modules/i18n/i18n";
import { withDatabase } from "./with-database";

const t = translator(process.env.LANG?.toLowerCase().startsWith("cy") ? "cy" : "en");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      email: { type: "string" },
      area: { type: "string" },
      name: { type: "string" },
      language: { type: "string" },
      "name-en": { type: "string" },
      "name-cy": { type: "string" },
      prefix: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${t("createCoordinator.usage")}`);
}
if (args.help) {
  console.log(t("createCoordinator.usage"));
  process.exit(0);
}
if (!args.email) fail(`${t("createCoordinator.emailRequired")}\n\n${t("createCoordinator.usage")}`);
if (!args.area) fail(`${t("createCoordinator.areaRequired")}\n\n${t("createCoordinator.usage")}`);
if (args.language && args.language !== "cy" && args.language !== "en") fail(t("createCoordinator.languageInvalid"));
const email = args.email;
const slug = args.area;

/** Reads a line from the terminal without echoing it (readline writing into a sink). */
async function askHidden(question: string) {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  // The interface puts the terminal in raw mode (no echo) before the question appears.
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
  process.stdout.write(question);
  rl.on("SIGINT", () => {
    process.stdout.write("\n");
    process.exit(130);
  });
  try {
    return await rl.question("");
  } finally {
    rl.close();
    process.stdout.write("\n");
  }
}

/** Asked for only once everything else checked out, so a typo in --area does not cost a password. */
async function askPassword() {
  if (!process.stdin.isTTY) throw new Error(t("createCoordinator.noTerminal"));
  const first = await askHidden(t("createCoordinator.passwordPrompt", { email }));
  const second = await askHidden(t("createCoordinator.passwordRepeat"));
  if (first !== second) throw new Error(t("createCoordinator.passwordMismatch"));
  return first;
}

await withDatabase(async (db) => {
  await migrateToLatest(db);
  const input = {
    email,
    areaSlug: slug,
    area: { nameEn: args["name-en"], nameCy: args["name-cy"], prefix: args.prefix },
    password: process.env.PASBORT_PASSWORD || undefined,
    displayName: args.name,
    language: args.language as "cy" | "en" | undefined,
  };
  let result = await createCoordinator(db, input);
  if (!result.ok && !input.password && result.problems.join() === "createCoordinator.passwordRequired") {
    result = await createCoordinator(db, { ...input, password: await askPassword() });
  }
  if (!result.ok) {
    for (const problem of result.problems) console.error(`- ${t(receivedKey(problem), { slug })}`);
    process.exitCode = 1;
    return;
  }
  const values = { email: email.trim().toLowerCase(), slug: slug.trim().toLowerCase() };
  if (result.areaCreated) console.log(t("createCoordinator.areaCreated", values));
  console.log(t(result.accountCreated ? "createCoordinator.accountCreated" : "createCoordinator.accountExisted", values));
  console.log(t(result.membershipAdded ? "createCoordinator.membershipAdded" : "createCoordinator.alreadyCoordinator", values));
});
