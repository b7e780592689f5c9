import iconv from "iconv-lite";

export type CsvEncoding = "utf-8" | "gbk";

/**
 * Decodes an uploaded CSV: a UTF-8 BOM or valid UTF-8 is UTF-8; anything else is taken as GBK
 * (what Excel in China saves). Valid UTF-8 that is really GBK is vanishingly rare for Chinese text.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8" };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "gbk"), encoding: "gbk" };
  }
}

/** Encodes text as GBK (for tests and for a report a Chinese Excel opens directly). */
export function encodeGbk(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, "gbk"));
}
