import { afterAll } from "vitest";
import { startFileAfresh } from "./file-state";

// Set-up file of the integration projects: runs before each test file (vitest.config.ts).
const restore = startFileAfresh();
afterAll(restore);
