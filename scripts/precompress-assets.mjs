#!/usr/bin/env node
/**
 * After `remix build`: writes a Brotli (.br, quality 11) and a gzip (.gz, level 9) copy next
 * to every script and stylesheet in public/build, so the server sends fingerprinted assets
 * compressed at the best ratio without compressing them on each request (ADR 0016).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = path.resolve(process.argv[2] ?? "public/build");
let files = 0;
let raw = 0;
let brotli = 0;
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|json|svg)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath, entry.name);
  const body = readFileSync(file);
  const br = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  files += 1;
  raw += body.length;
  brotli += br.length;
}
console.log(`precompressed ${files} assets: ${Math.round(raw / 1024)} KB raw, ${Math.round(brotli / 1024)} KB Brotli`);
