import { forgetDatabases } from "~/modules/db/db.server";
import { useMailTransport } from "~/modules/email/email.server";

/**
 * Integration files share their worker's modules (vitest.config.ts: `isolate: false`, which saves
 * each file a process start and a second import of the app). What the app keeps for the life of a
 * process is put back as a new process has it, so no file sees another's: no database handle
 * (each file opens its own database), the mail transport from SMTP_URL, and, when the file ends,
 * the environment as it was before it.
 */
export function startFileAfresh(): () => void {
  forgetDatabases();
  useMailTransport(undefined);
  const environment = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
    Object.assign(process.env, environment);
    forgetDatabases();
    useMailTransport(undefined);
  };
}
