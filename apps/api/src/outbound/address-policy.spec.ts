import { describe, expect, it } from 'vitest';
import { parsePolicy, refusal } from './address-policy';

const strict = parsePolicy(false, '');

describe('refusal', () => {
  it('lets public addresses through', () => {
    expect(refusal(strict, 'api.stripe.com', '54.187.174.169')).toBeNull();
    expect(refusal(strict, 'example.com', '2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
  });

  it.each([
    ['127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['10.1.2.3', /private/],
    ['192.168.0.10', /private/],
    ['172.16.5.4', /private/],
    ['169.254.169.254', /link-local.*metadata/],
    ['fd00::1', /private/],
    ['0.0.0.0', /unspecified/],
    ['100.64.0.1', /carrier-grade/],
    ['::ffff:127.0.0.1', /loopback/],
  ])('refuses %s, saying what it is and how to allow it', (address, what) => {
    const why = refusal(strict, 'internal.example', address);
    expect(why).toMatch(what);
    expect(why).toMatch(/HANDOFF_ALLOWED_HOSTS/);
  });

  it('allows what the operator lists: a host name, an IP, a CIDR, or everything', () => {
    const policy = parsePolicy(false, 'crm.internal, 127.0.0.1, 10.20.0.0/16');
    expect(refusal(policy, 'crm.internal', '10.9.9.9')).toBeNull();
    expect(refusal(policy, 'localhost', '127.0.0.1')).toBeNull();
    expect(refusal(policy, 'x', '10.20.3.4')).toBeNull();
    expect(refusal(policy, 'x', '10.21.3.4')).toMatch(/private/);
    expect(refusal(parsePolicy(true, ''), 'x', '169.254.169.254')).toBeNull();
  });
});
