import { Transform } from "node:stream";

const REACT_VIEW_SIZE = 2048;
const LONGEST_UTF8_CHARACTER = 4;

/**
 * React 18's renderer encodes text into 2,048-byte buffers; when a character of several bytes
 * ("–", "ŵ") does not fit at the end of one, it sends the whole buffer anyway, and the unused
 * bytes at its end go out as NULs (facebook/react#24985; fixed in React 19 by #26228, not in
 * 18.3.1). Those are always whole 2,048-byte chunks ending in one to three zero bytes, and a
 * page's HTML never holds a NUL otherwise (PostgreSQL text cannot, and React writes what it is
 * given), so dropping them gives back exactly the bytes React meant to send.
 */
export function withoutReactPadding(chunk: Buffer): Buffer {
  if (chunk.byteLength !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.byteLength;
  while (end > REACT_VIEW_SIZE - (LONGEST_UTF8_CHARACTER - 1) && chunk[end - 1] === 0) end--;
  return end === chunk.byteLength ? chunk : chunk.subarray(0, end);
}

/** The stream React's server renderer writes a page into (entry.server.tsx). */
export function htmlBodyStream() {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, withoutReactPadding(chunk));
    },
  });
}
