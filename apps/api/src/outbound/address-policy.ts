import ipaddr from 'ipaddr.js';

/**
 * Which addresses steps and connectors may reach (DESIGN.md "Safe by default"): public
 * unicast only, unless the operator allows more with HANDOFF_ALLOW_PRIVATE_NETWORKS=true or
 * HANDOFF_ALLOWED_HOSTS (host names, IPs or CIDRs). Pure, so every connector shares one rule.
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
  hosts: string[];
  cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export function parsePolicy(allowPrivate: boolean, allowedHosts: string): OutboundPolicy {
  const hosts: string[] = [];
  const cidrs: OutboundPolicy['cidrs'] = [];
  for (const raw of allowedHosts.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw.includes('/')) cidrs.push(ipaddr.parseCIDR(raw));
    else if (ipaddr.isValid(raw)) {
      const ip = ipaddr.process(raw);
      cidrs.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.push(raw.toLowerCase().replace(/\.$/, ''));
  }
  return { allowPrivate, hosts, cidrs };
}

/** Null when the policy lets this resolved address be reached (for `host`), else why not. */
export function refusal(policy: OutboundPolicy, host: string, address: string): string | null {
  if (policy.allowPrivate) return null;
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
  const ip = ipaddr.process(address);
  if (policy.hosts.includes(host.toLowerCase().replace(/\.$/, ''))) return null;
  if (policy.cidrs.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return null;
  const range = ip.range();
  if (range === 'unicast') return null;
  const kind: Record<string, string> = {
    loopback: 'a loopback address',
    private: 'a private address',
    linkLocal: 'a link-local address (cloud metadata lives there)',
    uniqueLocal: 'a private address',
    unspecified: 'the unspecified address',
    carrierGradeNat: 'a shared (carrier-grade NAT) address',
    reserved: 'a reserved address',
    multicast: 'a multicast address',
    broadcast: 'the broadcast address',
  };
  return `${host} resolves to ${address}, ${kind[range] ?? `a ${range} address`}; outbound calls reach public addresses only unless HANDOFF_ALLOWED_HOSTS or HANDOFF_ALLOW_PRIVATE_NETWORKS allows it`;
}
