// ESLint (flat config): typescript-eslint, React hooks and jsx-a11y, as the Epic Stack uses,
// plus rules that keep the project's own decisions (ADR 0010 dates, one error helper, no Remix
// internals). Formatting is Prettier's job, so no style rules here.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Where Luxon may be imported: the one time module (ADR 0010). */
const timeModule = "app/modules/activities/uk-time.server.ts";

const projectRules = {
  "no-restricted-imports": [
    "error",
    {
      patterns: [{ group: ["@remix-run/*/dist/*", "@remix-run/*/dist"], message: "Remix's private internals change without notice: use its public API." }],
      paths: [
        { name: "luxon", message: `Dates and times go through the time module (${timeModule}, ADR 0010).` },
        { name: "lucia", message: "Sessions go through app/modules/accounts/auth.server.ts (ADR 0017): Lucia stays in lucia.server.ts." },
        {
          name: "zod",
          message: "Form schemas live in .server modules (ADR 0037): zod in a module the browser loads adds 76 KB Brotli to the page (issue 18's budget).",
        },
      ],
    },
  ],
  "no-restricted-syntax": [
    "error",
    {
      selector: "CallExpression[callee.property.name='slice'][callee.object.type='CallExpression'][callee.object.callee.property.name='toISOString']",
      message: "toISOString().slice(0, 10) is the day in UTC, not in Wales: use the time module (ukDate, addDays…).",
    },
    {
      selector: "ThrowStatement > NewExpression[callee.name='Response'] > Literal",
      message: "Use notFound(), forbidden(), badRequest() or conflict() from ~/modules/accounts/actor.server, so every refusal is made the same way.",
    },
  ],
};

/**
 * Routes take forms through the one form layer (ADR 0037): a schema read by readForm or
 * parseForm, never a field read by hand, so every field has its check and its message.
 */
const rawFormRead = {
  selector:
    "CallExpression[callee.type='MemberExpression'][callee.property.name=/^get(All)?$/]:matches([callee.object.name=/^(form|formData|data|fields|body)$/], [callee.object.argument.callee.name='readFormData'], [callee.object.argument.callee.property.name='formData'])",
  message: "Read a form through its schema (readForm / parseForm from ~/modules/forms, ADR 0037), not field by field with .get().",
};

export default tseslint.config(
  { ignores: ["build/", "public/build/", ".data/", ".cache/", "bench/.work/", "test-results/", "playwright-report/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      ...projectRules,
      "no-empty": ["error", { allowEmptyCatch: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      // The classic two rules; the React Compiler's stricter ones wait until we adopt it.
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      ...jsxA11y.flatConfigs.recommended.rules,
      // A scrolling table is a focusable region, so keyboard users can scroll it (axe asks for this).
      "jsx-a11y/no-noninteractive-tabindex": ["error", { roles: ["region"], tags: [] }],
    },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: { "no-restricted-syntax": ["error", ...projectRules["no-restricted-syntax"].slice(1), rawFormRead] },
  },
  // zod is for the server: its modules, and tests and scripts that never reach a browser.
  {
    files: ["**/*.server.ts", "**/*.test.ts", "tests/**", "scripts/**", "bench/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: projectRules["no-restricted-imports"][1].patterns, paths: projectRules["no-restricted-imports"][1].paths.filter((p) => p.name !== "zod") },
      ],
    },
  },
  { files: [timeModule], rules: { "no-restricted-imports": "off" } },
  // Lucia's files (ADR 0017): the adapter, the session API and the child's own session (ADR 0022).
  {
    files: ["app/modules/accounts/lucia.server.ts", "app/modules/accounts/auth.server.ts", "app/modules/children/child-sign-in.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: projectRules["no-restricted-imports"][1].patterns, paths: [projectRules["no-restricted-imports"][1].paths[0]] },
      ],
    },
  },
  { files: ["app/modules/accounts/actor.server.ts"], rules: { "no-restricted-syntax": "off" } },
);
