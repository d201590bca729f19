// IPv4 and IPv6 addresses and CIDR blocks for the IpAddress / NotIpAddress condition operators.

interface Address {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr extends Address {
  prefix: number;
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  let tail: bigint | undefined;
  if (text.includes(".")) {
    // An embedded IPv4 tail, as in ::ffff:192.0.2.1, stands for the last two groups.
    const lastColon = text.lastIndexOf(":");
    tail = parseIPv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (halves.length === 1 ? head.length !== 8 : head.length + rest.length > 7) return undefined;
  let value = 0n;
  for (const group of [...head, ...Array<string>(8 - head.length - rest.length).fill("0"), ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return tail === undefined ? value : (value & ~0xffffffffn) | tail;
}

/** Parses an address; undefined when it is neither IPv4 nor IPv6. */
export function parseAddress(text: string): Address | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(":")) return undefined;
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `a.b.c.d/n`, `x::y/n`, or a bare address (a /32 or /128 block). */
export function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, extra] = text.trim().split("/");
  if (address === undefined || extra !== undefined) return undefined;
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  const bits = parsed.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { ...parsed, prefix };
}

/** True when the address lies in the block; an IPv4 address never lies in an IPv6 block or the reverse. */
export function inCidr(addressText: string, cidr: Cidr): boolean {
  const address = parseAddress(addressText.trim());
  if (!address || address.family !== cidr.family) return false;
  const bits = BigInt(cidr.family === 4 ? 32 : 128);
  const shift = bits - BigInt(cidr.prefix);
  return address.value >> shift === cidr.value >> shift;
}
