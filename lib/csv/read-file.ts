import fs from "node:fs";
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
 * The file's records, in order, as arrays of cells (empty lines skipped, as `parseCsv` does).
 * Parsed 64 KiB at a time with back-pressure: the event loop gets a turn between chunks, and
 * memory holds a chunk's rows, not the file's. Breaking out of the loop closes the file.
 */
export async function* readCsvRecords(file: string, encoding: CsvEncoding): AsyncGenerator<string[]> {
  const source = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: "greedy" });
  const decoded = source.pipe(iconv.decodeStream(encoding === "gbk" ? "gbk" : "utf8"));
  decoded.on("error", (e) => parser.destroy(e));
  decoded.pipe(parser);
  try {
    for await (const record of parser) yield record as string[];
  } finally {
    source.destroy();
    parser.destroy();
  }
}
