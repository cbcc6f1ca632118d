import { describe, expect, it } from '@jest/globals';
import { addressRefusal, hostNameRefusal } from './webhook-target.js';

/** A webhook URL's host as WHATWG URL leaves it (it turns 0x7f.1, 2130706433, 017700000001 into 127.0.0.1). */
const hostOf = (url: string) => new URL(url).hostname;

describe('where a webhook may point', () => {
  it.each([
    ['http://localhost/', 'a name of this machine or network'],
    ['http://LOCALHOST./', 'a name of this machine or network'],
    ['http://api.localhost/', 'a name of this machine or network'],
    ['http://metadata.google.internal/', 'a name of this machine or network'],
    ['http://printer.local/', 'a name of this machine or network'],
  ])('refuses the internal name %s', (url, reason) => {
    expect(hostNameRefusal(hostOf(url))).toBe(reason);
  });

  it.each([
    ['http://127.0.0.1/', 'a loopback address'],
    ['http://127.1/', 'a loopback address'],
    ['http://0x7f.1/', 'a loopback address'],
    ['http://2130706433/', 'a loopback address'],
    ['http://017700000001/', 'a loopback address'],
    ['http://[::1]/', 'a loopback address'],
    ['http://[0:0:0:0:0:0:0:1]/', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'a loopback address'],
    ['http://[::ffff:7f00:1]/', 'a loopback address'],
    ['http://[64:ff9b::10.0.0.1]/', 'a private network address'],
    ['http://[::]/', 'the unspecified address'],
    ['http://0.0.0.0/', 'a reserved address'],
    ['http://10.0.0.1/', 'a private network address'],
    ['http://172.16.5.4/', 'a private network address'],
    ['http://172.31.255.255/', 'a private network address'],
    ['http://192.168.1.10/', 'a private network address'],
    ['http://100.64.0.1/', 'a private network address'],
    ['http://169.254.169.254/latest/meta-data/', 'a link-local or cloud metadata address'],
    ['http://[fd00:ec2::254]/', 'a unique-local (private) address'],
    ['http://[fe80::1]/', 'a link-local address'],
    ['http://224.0.0.1/', 'a multicast address'],
    ['http://[ff02::1]/', 'a multicast address'],
    ['http://255.255.255.255/', 'a reserved address'],
    ['http://198.18.0.1/', 'a reserved address'],
    ['http://[2001:db8::1]/', 'a documentation address'],
  ])('refuses %s: %s', (url, reason) => {
    expect(addressRefusal(hostOf(url))).toBe(reason);
  });

  it.each([
    'http://93.184.215.14/',
    'http://8.8.8.8/',
    'http://172.32.0.1/',
    'http://[2606:4700::6810:84e5]/',
    'http://[::ffff:8.8.8.8]/',
  ])('accepts the public unicast address of %s', (url) => {
    expect(addressRefusal(hostOf(url))).toBeNull();
  });

  it('accepts an ordinary public name (its addresses are judged when it is resolved)', () => {
    expect(hostNameRefusal('crm.example.com')).toBeNull();
  });
});
