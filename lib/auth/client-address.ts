import { BlockList, isIP } from "node:net";

/**
 * The client's address for throttling. `X-Forwarded-For` is anyone's to write, so it is believed only
 * when the peer is one of the configured proxies (`TRUSTED_PROXIES`: addresses or CIDR ranges,
 * comma-separated); then the address is the last one in the chain that is not itself a proxy.
 */
export function trustedProxies(spec = process.env.TRUSTED_PROXIES ?? ""): BlockList {
  const list = new BlockList();
  for (const item of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = item.split("/");
    const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (!isIP(addr)) throw new Error(`TRUSTED_PROXIES: "${item}" is not an address or CIDR range`);
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

/** IPv4 clients of a dual-stack socket appear as `::ffff:1.2.3.4`. */
const plain = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

function isTrusted(list: BlockList, address: string) {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 6 ? "ipv6" : "ipv4");
}

export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let address = plain(peer ?? "unknown");
  if (!isTrusted(trusted, address)) return address;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map(plain).filter(Boolean);
  while (chain.length) {
    address = chain.pop() as string;
    if (!isTrusted(trusted, address)) return address;
  }
  return address;
}
