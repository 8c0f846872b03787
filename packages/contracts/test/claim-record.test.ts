// The accumulator's dedup records as ingest reads them: layout, states, flags, and what a sender is told.
import { describe, expect, it } from 'vitest';
import { claimStatusOf, institutionTag, parseClaimRecord, personStateKeys } from '../src/index.ts';

const tag = institutionTag('H31011000012');
const fp = 'AbC-_9xyz012';

describe('claim records', () => {
  it('builds the person keys under one hash tag', () => {
    expect(personStateKeys.person('wl', 'p_1')).toBe('wl:{p_1}:p');
    expect(personStateKeys.personClaims('wl', 'p_1')).toBe('wl:{p_1}:c');
    expect(personStateKeys.soloStatus('wl', 'p_1')).toBe('wl:{p_1}:s');
  });

  it('reads a record, with or without the kept amounts', () => {
    expect(tag).toMatch(/^[A-Za-z0-9_-]{4}$/);
    expect(parseClaimRecord(`S2024-03i0${fp}${tag}aoyo:9ix`)).toEqual({
      state: 'S',
      month: '2024-03',
      visitClass: 'i',
      flags: 0,
      fingerprint: fp,
      institutionTag: tag,
    });
    expect(parseClaimRecord(`X2024-03o6${fp}${tag}`)?.flags).toBe(6);
    expect(parseClaimRecord('S2024-03i0short')).toBeNull();
    expect(parseClaimRecord('')).toBeNull();
  });

  it('tells the sender what became of the claim', () => {
    const status = (value: string) => claimStatusOf('C-1', parseClaimRecord(value)!);
    expect(status(`S2024-03i1${fp}${tag}1:1`)).toEqual({
      claimId: 'C-1',
      type: 'settlement',
      status: 'counted',
      month: '2024-03',
      duplicateDelivered: true,
      codes: [],
    });
    expect(status(`X2024-03i6${fp}${tag}`)).toMatchObject({
      status: 'reversed',
      codes: ['CLAIM_CONFLICT', 'REVERSAL_MISMATCH'],
    });
    expect(status(`R2024-03o4${fp}${tag}`)).toMatchObject({
      type: 'reversal',
      status: 'reversal-counted',
      codes: ['REVERSAL_MISMATCH'],
    });
    expect(status(`N2024-03o0${fp}${tag}`)).toMatchObject({ status: 'no-effect', codes: ['REVERSAL_ALREADY_APPLIED'] });
    expect(status(`M2024-03o0${fp}${tag}`)).toMatchObject({
      status: 'no-effect',
      codes: ['REVERSAL_TARGET_NOT_SETTLEMENT'],
    });
    // A placeholder is a claim nobody sent yet: nothing to tell.
    expect(status(`P2024-03o0${fp.slice(0, 6)}------${tag}`)).toBeNull();
  });
});
