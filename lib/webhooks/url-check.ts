import dns from "node:dns/promises";
import net from "node:net";
import { AppError } from "@/lib/errors";

const v4 = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const v4Ranges: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3], // multicast, reserved and broadcast
];

/** Loopback, private, link-local, shared, multicast or unspecified: never a shop's public endpoint. */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const n = v4(address);
    return v4Ranges.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(v4(base) / 2 ** (32 - bits)));
  }
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return isPrivateAddress(mapped[1]);
  return a === "::" || a === "::1" || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || /^ff/.test(a);
}

const allowPrivate = () => process.env.WEBHOOK_ALLOW_PRIVATE === "1";

/**
 * Refuses a webhook URL that is not http(s) or whose host is (or resolves to) a loopback or private
 * address, unless the deployment sets WEBHOOK_ALLOW_PRIVATE=1. Checked when the endpoint is saved
 * and again before every delivery (a name may resolve elsewhere later).
 */
export async function assertPublicUrlOrThrow(raw: string, path = "url"): Promise<URL> {
  const refuse = (message: string) => new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse("must be an http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refuse("must be an http(s) URL");
  if (url.username || url.password) throw refuse("must not carry a user name or password");
  if (allowPrivate()) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw refuse(`the host ${host} does not resolve`);
    }
  }
  if (addresses.some(isPrivateAddress)) throw refuse("must be on a public address (loopback and private networks are refused)");
  return url;
}
