// District-wide and city-wide listings and their CSV export, registered inside the caseworker API's guarded
// plugin (so its token hook runs first). The scope is checked before the query is parsed: a malformed
// district code outside the token's scope is refused, not described.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ALERT_STATES, alertApiError, DISTRICT_CODE, STREET_CODE } from '@warnline/contracts';
import { mayAccessCity, mayAccessDistrict, type Principal } from './auth.ts';
import type { AlertStore } from './alert-store.ts';
import { alertsCsv } from './csv.ts';
import { ALERT_LEVELS } from './keys.ts';
import { findAlerts, type ListingFilter } from './listings.ts';
import { parse } from './request-parse.ts';

const FilterQuery = z.object({
  state: z.enum(ALERT_STATES).optional(),
  level: z.enum(ALERT_LEVELS).optional(),
  street: z.string().regex(STREET_CODE).optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const CityQuery = FilterQuery.extend({ district: z.string().regex(DISTRICT_CODE).optional() });
const DistrictParams = z.object({ districtCode: z.string().regex(DISTRICT_CODE) });

type Query = z.infer<typeof FilterQuery>;

export interface ListingDeps {
  store: AlertStore;
  principalOf(request: FastifyRequest): Principal | null;
}

export function registerListingRoutes(api: FastifyInstance, deps: ListingDeps): void {
  const principal = (request: FastifyRequest): Principal => {
    const p = deps.principalOf(request);
    if (p === null) throw alertApiError('UNAUTHENTICATED');
    return p;
  };

  /** The district of the path, after the scope check. */
  const district = (request: FastifyRequest): string => {
    const raw = (request.params as { districtCode?: string }).districtCode ?? '';
    if (!mayAccessDistrict(principal(request), raw)) throw alertApiError('FORBIDDEN');
    return parse(DistrictParams, request.params).districtCode;
  };

  const city = (request: FastifyRequest): { query: Query; districtCode: string | null } => {
    if (!mayAccessCity(principal(request))) throw alertApiError('FORBIDDEN');
    const { district: districtCode, ...query } = parse(CityQuery, request.query);
    return { query, districtCode: districtCode ?? null };
  };

  const filterOf = (districtCode: string | null, q: Query): ListingFilter => ({
    districtCode,
    state: q.state,
    level: q.level,
    street: q.street,
    overdue: q.overdue,
  });

  const page = async (districtCode: string | null, q: Query) => {
    const filter = filterOf(districtCode, q);
    const all = await findAlerts(deps.store, filter);
    const { districtCode: _scope, ...shown } = filter;
    return {
      scope: { districtCode },
      filter: { state: null, level: null, street: null, overdue: null, ...definedOnly(shown) },
      offset: q.offset,
      limit: q.limit,
      total: all.length,
      alerts: all.slice(q.offset, q.offset + q.limit),
    };
  };

  const csv = async (reply: FastifyReply, districtCode: string | null, q: Query, name: string) => {
    const body = alertsCsv(await findAlerts(deps.store, filterOf(districtCode, q)));
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="alerts-${name}.csv"`);
    return body;
  };

  api.get('/v1/districts/:districtCode/alerts', async (request) => {
    const code = district(request);
    return page(code, parse(FilterQuery, request.query));
  });

  api.get('/v1/districts/:districtCode/alerts.csv', async (request, reply) => {
    const code = district(request);
    return csv(reply, code, parse(FilterQuery, request.query), code);
  });

  api.get('/v1/city/alerts', async (request) => {
    const { query, districtCode } = city(request);
    return page(districtCode, query);
  });

  api.get('/v1/city/alerts.csv', async (request, reply) => {
    const { query, districtCode } = city(request);
    return csv(reply, districtCode, query, districtCode ?? 'city');
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
