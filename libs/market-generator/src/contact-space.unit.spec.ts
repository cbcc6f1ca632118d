import { describe, expect, it } from '@jest/globals';

import { ContactSpace, scramblePersonIndex } from './contact-space.js';

describe('ContactSpace', () => {
  it('scrambles person indices without two ever meeting', () => {
    const seen = new Set<number>();
    for (let index = 0; index < 200_000; index++) seen.add(scramblePersonIndex(index));
    for (let index = 99_900_000; index < 100_000_000; index++) seen.add(scramblePersonIndex(index));
    expect(seen.size).toBe(300_000);
    expect([...seen].every((value) => value >= 0 && value < 100_000_000)).toBe(true);
  });

  it('numbers Russian and Spanish mobiles as their plans do, one per person', () => {
    const contacts = new ContactSpace(1);
    const russian = new Set<string>();
    const spanish = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const person = contacts.nextPersonIndex();
      russian.add(contacts.mobileNumber('RU', person));
      spanish.add(contacts.mobileNumber('ES', person));
    }
    expect(russian.size).toBe(20_000);
    expect(spanish.size).toBe(20_000);
    expect([...russian].filter((number) => !/^9\d{9}$/.test(number))).toEqual([]);
    expect([...spanish].filter((number) => !/^(6\d|7[1-4])\d{7}$/.test(number))).toEqual([]);
    expect([...spanish].some((number) => number.startsWith('7'))).toBe(true);
  });

  it('gives each use of an e-mail name its own number', () => {
    const contacts = new ContactSpace('seller-1');
    const locals = Array.from({ length: 5000 }, () => contacts.emailLocalPart('ivan.petrov'));
    expect(new Set(locals).size).toBe(5000);
    expect(locals.filter((local) => !/^ivan\.petrov\d{1,5}$/.test(local))).toEqual([]);
  });

  it('starts each seed elsewhere, so two sellers rarely share a person', () => {
    const first = new ContactSpace('seller-1');
    const second = new ContactSpace('seller-2');
    const phones = new Set(
      Array.from({ length: 10_000 }, () => first.mobileNumber('RU', first.nextPersonIndex())),
    );
    const shared = Array.from({ length: 10_000 }, () =>
      second.mobileNumber('RU', second.nextPersonIndex()),
    ).filter((phone) => phones.has(phone));
    expect(shared).toEqual([]);
  });
});
