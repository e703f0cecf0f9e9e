import "i18next";
import type en from "./locales/en.json";

/**
 * i18next's own typing of keys (CustomTypeOptions): `t` takes only a key of the English strings
 * (i18n:check keeps the Welsh ones in step), so a missing or misspelt key, or a computed one whose
 * pieces can make a key that does not exist, fails `npm run typecheck`. A key with a
 * `defaultValue` (a local authority the strings may not name) may be any string.
 */
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
