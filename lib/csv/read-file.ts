import fs from "node:fs";
import type { Transform } from "node:stream";
import iconv from "iconv-lite";
import Papa from "papaparse";
import type { CsvEncoding } from "./decode";

/**
 * The streaming side of `decodeCsv`, for uploaded files: a UTF-8 BOM or valid UTF-8 is UTF-8,
 * anything else GBK. Reads the file in chunks, so a 50 MB file never sits in memory at once.
 */
export async function detectFileEncoding(file: string): Promise<CsvEncoding> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
      const bytes = chunk as Buffer;
      if (first && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
      first = false;
      decoder.decode(bytes, { stream: true });
    }
    decoder.decode();
    return "utf-8";
  } catch (e) {
    if (e instanceof TypeError) return "gbk";
    throw e;
  }
}

/**
 * The index just past the last line break of `text` that ends a record (is outside quotes), or 0.
 * `text` starts at a record boundary; an escaped quote ("") counts twice, so parity tells.
 */
export function lastRecordEnd(text: string): number {
  let inQuotes = false;
  let end = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes) end = i + 1;
  }
  return end;
}

/**
 * The file's records, in order, as arrays of cells (empty lines skipped, as `parseCsv` does).
 * Decoded and parsed 256 KiB at a time (each piece cut at its last whole record): the event loop
 * gets a turn every ~40 ms of work, and memory holds a piece's rows, not the file's. Breaking out of the
 * loop closes the file.
 */
export async function* readCsvRecords(file: string, encoding: CsvEncoding): AsyncGenerator<string[]> {
  const source = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const decoded = source.pipe(iconv.decodeStream(encoding === "gbk" ? "gbk" : "utf8") as unknown as Transform);
  source.on("error", (e) => decoded.destroy(e));
  const parse = (text: string) => Papa.parse<string[]>(text, { header: false, skipEmptyLines: "greedy" }).data;
  let rest = "";
  let since = performance.now();
  try {
    for await (const piece of decoded) {
      const text = rest + (piece as string);
      const end = lastRecordEnd(text);
      rest = text.slice(end);
      if (end > 0) yield* parse(text.slice(0, end));
      // A turn for the event loop once ~40 ms of work piled up, even when the file is in the page
      // cache (then every read is a microtask). Not after every piece: while an import runs on the
      // embedded database each turn may cost a whole batch, and a preview would wait for 200 of them.
      if (performance.now() - since > 40) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        since = performance.now();
      }
    }
    if (rest) yield* parse(rest);
  } finally {
    source.destroy();
    decoded.destroy();
  }
}
