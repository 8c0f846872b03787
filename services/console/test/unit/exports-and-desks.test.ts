// The CSV links the console makes and reads back, the desks of a path, and who is offered the reveal.
import { describe, expect, it } from 'vitest';
import { mayRevealAlertsOf } from '@warnline/contracts';
import { deskOf } from '../../src/pages/desk.ts';
import { csvHref, csvRequestOf } from '../../src/pages/exports.ts';

describe('CSV links', () => {
  it("name a district's listing or the city's, with the filter's non-empty fields", () => {
    expect(csvHref({ kind: 'district', district: '310113' }, { street: '310113000', state: 'triage' })).toBe(
      '/exports/alerts.csv?district=310113&street=310113000&state=triage',
    );
    expect(csvHref({ kind: 'city' }, { street: '000000000', level: '' })).toBe('/exports/alerts.csv?street=000000000');
  });

  it('read back into the same scope and filter; a malformed district or street is refused', () => {
    const href = csvHref({ kind: 'district', district: '310113' }, { street: '310113103', overdue: 'true' });
    const query = Object.fromEntries(new URL(href, 'http://console').searchParams);
    expect(csvRequestOf(query)).toEqual({
      scope: { kind: 'district', district: '310113' },
      filter: { street: '310113103', overdue: 'true' },
    });
    expect(csvRequestOf({ state: 'closed' })).toEqual({ scope: { kind: 'city' }, filter: { state: 'closed' } });
    expect(csvRequestOf({ district: '31011' })).toBeNull();
    expect(csvRequestOf({ street: '../../admin' })).toBeNull();
  });
});

describe('desks', () => {
  it("a district's desk is <district>000, the city's 000000000; anything else is no desk", () => {
    expect(deskOf('310113')).toMatchObject({ code: '310113000', scope: { kind: 'district', district: '310113' } });
    expect(deskOf('city')).toMatchObject({ code: '000000000', scope: { kind: 'city' } });
    expect(deskOf('310113103')).toBeNull();
    expect(deskOf('')).toBeNull();
  });
});

describe('the reveal is offered', () => {
  it('to a street on its street, to a district on its streets and desk; never to the city or admin', () => {
    const street = { role: 'street', street: '310113103' } as const;
    const district = { role: 'district', district: '310113' } as const;
    expect(mayRevealAlertsOf(street, '310113103')).toBe(true);
    expect(mayRevealAlertsOf(street, '310113104')).toBe(false);
    expect(mayRevealAlertsOf(district, '310113104')).toBe(true);
    expect(mayRevealAlertsOf(district, '310113000')).toBe(true);
    expect(mayRevealAlertsOf(district, '310115001')).toBe(false);
    expect(mayRevealAlertsOf({ role: 'city' }, '310113103')).toBe(false);
    expect(mayRevealAlertsOf({ role: 'admin' }, '310113103')).toBe(false);
  });
});
