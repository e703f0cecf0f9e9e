import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = path.resolve("scripts/drop-empty-chunks.mjs");
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A build as `remix build` leaves it: one route importing an empty .server chunk, an empty file and a real chunk. */
function build(route: string) {
  const root = mkdtempSync(path.join(tmpdir(), "pasbort-empty-chunks-"));
  dirs.push(root);
  const shared = path.join(root, "public/build/_shared");
  mkdirSync(shared, { recursive: true });
  mkdirSync(path.join(root, "public/build/routes"));
  writeFileSync(path.join(shared, "chunk-RUNTIME.js"), "var n=(a,b)=>()=>(b||a((b={exports:{}}).exports,b),b.exports);export{n as b};");
  writeFileSync(path.join(shared, "chunk-EMPTY.js"), 'import{b as o}from"/build/_shared/chunk-RUNTIME.js";var p=o((r,e)=>{e.exports={}});export{p as a};');
  writeFileSync(path.join(shared, "chunk-NOTHING.js"), "");
  writeFileSync(path.join(shared, "chunk-REAL.js"), "var x=1;export{x as a};");
  writeFileSync(path.join(root, "public/build/routes/page-A.js"), route);
  const list = '["/build/_shared/chunk-EMPTY.js","/build/_shared/chunk-NOTHING.js","/build/_shared/chunk-REAL.js"]';
  writeFileSync(path.join(root, "public/build/manifest-ABC123.js"), `window.__remixManifest={"routes":{"routes/page":{"imports":${list}}}};`);
  mkdirSync(path.join(root, "build"));
  writeFileSync(
    path.join(root, "build/index.js"),
    'var assets = { routes: { "routes/page": { imports: ["/build/_shared/chunk-EMPTY.js", "/build/_shared/chunk-REAL.js", "/build/_shared/chunk-NOTHING.js"] } } };',
  );
  return root;
}
const run = (root: string) => spawnSync(process.execPath, [script, root], { encoding: "utf8" });
const read = (root: string, file: string) => readFileSync(path.join(root, file), "utf8");

describe("drop-empty-chunks", () => {
  it("inlines the empty chunks into their importers, takes them out of both manifests and deletes them", () => {
    const root = build(
      'import{a as $}from"/build/_shared/chunk-EMPTY.js";import"/build/_shared/chunk-NOTHING.js";import{a as r}from"/build/_shared/chunk-REAL.js";var d=$();export{d,r};',
    );
    const result = run(root);
    expect(result.status, result.stderr).toBe(0);
    expect(read(root, "public/build/routes/page-A.js")).toBe('var $=(m=>()=>m)({});import{a as r}from"/build/_shared/chunk-REAL.js";var d=$();export{d,r};');
    expect(read(root, "public/build/manifest-ABC123.js")).toBe(
      'window.__remixManifest={"routes":{"routes/page":{"imports":["/build/_shared/chunk-REAL.js"]}}};',
    );
    expect(read(root, "build/index.js")).toBe('var assets = { routes: { "routes/page": { imports: ["/build/_shared/chunk-REAL.js"] } } };');
    expect(existsSync(path.join(root, "public/build/_shared/chunk-EMPTY.js"))).toBe(false);
    expect(existsSync(path.join(root, "public/build/_shared/chunk-NOTHING.js"))).toBe(false);
    expect(existsSync(path.join(root, "public/build/_shared/chunk-REAL.js"))).toBe(true);
    expect(result.stdout).toContain("empty browser chunks dropped: 2 (imported by 1 files)");
  });

  it("stops the build when a file names an empty chunk in a way it cannot rewrite, rather than leave a 404", () => {
    const root = build('const m=import("/build/_shared/chunk-EMPTY.js");export{m};');
    const result = run(root);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("/build/routes/page-A.js names /build/_shared/chunk-EMPTY.js in a way this script does not rewrite.");
    expect(existsSync(path.join(root, "public/build/_shared/chunk-EMPTY.js"))).toBe(true);
  });
});
