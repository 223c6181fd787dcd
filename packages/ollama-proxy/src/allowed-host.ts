import { BlockList, isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** Loopback, private and unspecified addresses, as Go's netip names them (IPv4-mapped IPv6 included). */
const LOCAL_RANGES = new BlockList();
for (const [base, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  LOCAL_RANGES.addSubnet(base, bits, 'ipv4');
}
LOCAL_RANGES.addAddress('0.0.0.0', 'ipv4');
LOCAL_RANGES.addAddress('::1', 'ipv6');
LOCAL_RANGES.addAddress('::', 'ipv6');
LOCAL_RANGES.addSubnet('fc00::', 7, 'ipv6');

/** True for an address of one of this machine's network interfaces. */
function isInterfaceAddress(address: string): boolean {
  const lower = address.toLowerCase();
  return Object.values(networkInterfaces()).some((entries) =>
    (entries ?? []).some((entry) => entry.address.toLowerCase() === lower),
  );
}

/**
 * Ollama's Host-header check (server/routes.go `allowedHostsMiddleware`), which a server listening
 * on a loopback address applies to every request, so that a web page cannot reach it through DNS
 * rebinding (its name pointed at 127.0.0.1). Allowed: no host, `localhost`, this machine's host
 * name, any `*.localhost`, `*.local` or `*.internal` name, and a loopback, private, unspecified or
 * local interface's IP address, with any port. Anything else (`attacker.example:8080`) is refused.
 */
export function isAllowedHost(host: string | undefined): boolean {
  if (host === undefined || host === '') return true;
  let name = host.toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(name);
  if (bracketed !== null) name = bracketed[1]!;
  else if (/^[^:]+:\d*$/.test(name)) name = name.slice(0, name.lastIndexOf(':'));
  const version = isIP(name);
  if (version !== 0) {
    return LOCAL_RANGES.check(name, version === 4 ? 'ipv4' : 'ipv6') || isInterfaceAddress(name);
  }
  if (name === 'localhost' || name === hostname().toLowerCase()) return true;
  return ['.localhost', '.local', '.internal'].some((tld) => name.endsWith(tld));
}
