// The CSV export of a listing: the console passes the alerter's `alerts.csv` through with the user's own
// token and the page's filter, bytes unchanged (UTF-8 with its byte-order mark, CRLF), as a download.
import { DISTRICT_CODE, STREET_CODE } from '@warnline/contracts';
import { listingParams, type ListingQuery, type ListingScope } from '../alerter-client.ts';
import type { Page } from './page.ts';

const FILTER_FIELDS = ['state', 'level', 'street', 'overdue'] as const;

/** The console's link to the CSV of a listing: a district's (`district=`) or the city's. */
export function csvHref(scope: ListingScope, query: ListingQuery): string {
  const district = scope.district;
  const params = listingParams({ kind: 'city', ...(district ? { district } : {}) }, query, {});
  return `/exports/alerts.csv${params ? `?${params}` : ''}`;
}

/** The listing a CSV link names: its district (else the city) and the filter fields the alerter knows. */
export function csvRequestOf(query: Record<string, string>): { scope: ListingScope; filter: ListingQuery } | null {
  const district = query.district ?? '';
  if (district !== '' && !DISTRICT_CODE.test(district)) return null;
  if (query.street && !STREET_CODE.test(query.street)) return null;
  const filter: ListingQuery = {};
  for (const field of FILTER_FIELDS) {
    const value = query[field];
    if (value) (filter as Record<string, string>)[field] = value;
  }
  return { scope: district ? { kind: 'district', district } : { kind: 'city' }, filter };
}

export const csvExportPage: Page = {
  method: 'GET',
  url: '/exports/alerts.csv',
  roles: ['district', 'city', 'admin'],
  async handle({ query, alerter }) {
    const request = csvRequestOf(query);
    if (request === null) return { kind: 'redirect', location: '/' };
    const csv = await alerter.listingCsv(request.scope, request.filter);
    // Always a download, never shown inline, whatever a proxy in between did to the header.
    const contentDisposition = /^attachment\b/i.test(csv.contentDisposition)
      ? csv.contentDisposition
      : 'attachment; filename="alerts.csv"';
    return { kind: 'download', ...csv, contentDisposition };
  },
};
