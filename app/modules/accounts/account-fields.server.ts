import { z } from "zod";
import { passwordProblem } from "./password.server";

/** Fields shared by the forms that create an account or set a password; messages are translation keys. */
export const displayNameField = z
  .string({ error: "accountFields.nameRequired" })
  .trim()
  .min(1, { error: "accountFields.nameRequired" })
  .max(100, { error: "accountFields.nameTooLong" });

/** Never trimmed: spaces are part of a password. Strength is checked by newPasswordError, which needs the person's details. */
export const newPasswordField = z.string({ error: "passwordRules.required" }).min(1, { error: "passwordRules.required" });

export const languageField = z.enum(["cy", "en"], { error: "accountFields.languageRequired" });

/** The translation key saying why a new password is refused, or null when it is good. */
export function newPasswordError(password: string, personal: string[]) {
  const problem = passwordProblem(password, personal);
  return problem ? `passwordRules.${problem}` : null;
}
