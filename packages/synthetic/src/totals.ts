// What a feed must add up to, per person and month, in integer fen: the oracle that the benchmark and tests
// check Redis against, computed from the generated claims alone (never from what a service stored).
// The arithmetic is docs/contracts.md "Derived per claim"; the counting rules are its delivery rules: the same
// claimId counts once (first version kept), a reversal subtracts what its original added, in either order.
import { monthOf, yuanToFen } from '@warnline/contracts';

/** The fields of a claim (raw or pseudonymised) that decide what it contributes. */
export interface CountedClaim {
  claimId: string;
  type: 'settlement' | 'reversal';
  personId: string;
  serviceDate: string;
  amounts: Record<
    'policyScope' | 'basicFund' | 'criticalIllness' | 'supplementary' | 'assistance' | 'personalAccount' | 'cash',
    string
  >;
}

export interface FenTotals {
  /** 个人实际负担: personalAccount + cash. */
  burdenFen: number;
  /** 自负医疗费用: max(0, policyScope − basicFund − criticalIllness − supplementary − assistance). */
  selfPayFen: number;
}

/** One claim's unsigned contribution (the sign comes from its type). */
export function claimFen(amounts: CountedClaim['amounts']): FenTotals {
  const f = yuanToFen;
  return {
    burdenFen: f(amounts.personalAccount) + f(amounts.cash),
    selfPayFen: Math.max(
      0,
      f(amounts.policyScope) -
        f(amounts.basicFund) -
        f(amounts.criticalIllness) -
        f(amounts.supplementary) -
        f(amounts.assistance),
    ),
  };
}

/**
 * Net totals of a stream of claims, fed one delivery at a time. Holds one entry per claimId (the dedup
 * horizon of the whole feed) and one per person-month; about 150 bytes per claim of heap, so a 2-million-claim
 * benchmark feed fits comfortably.
 */
export class NetTotals {
  private readonly seen = new Set<string>();
  /** person → month → [burdenFen, selfPayFen]. */
  private readonly byPerson = new Map<string, Map<string, [number, number]>>();
  /** Deliveries offered, including duplicates. */
  deliveries = 0;

  add(claim: CountedClaim): void {
    this.deliveries++;
    if (this.seen.has(claim.claimId)) return;
    this.seen.add(claim.claimId);
    const { burdenFen, selfPayFen } = claimFen(claim.amounts);
    const sign = claim.type === 'reversal' ? -1 : 1;
    let months = this.byPerson.get(claim.personId);
    if (months === undefined) {
      months = new Map();
      this.byPerson.set(claim.personId, months);
    }
    const month = monthOf(claim.serviceDate);
    const cell = months.get(month) ?? [0, 0];
    cell[0] += sign * burdenFen;
    cell[1] += sign * selfPayFen;
    months.set(month, cell);
  }

  /** Distinct claims (settlements and reversals) counted. */
  get claims(): number {
    return this.seen.size;
  }

  persons(): IterableIterator<string> {
    return this.byPerson.keys();
  }

  get personCount(): number {
    return this.byPerson.size;
  }

  /** A person's net per month (months whose claims cancelled out are kept with 0). */
  months(personId: string): ReadonlyMap<string, FenTotals> {
    const out = new Map<string, FenTotals>();
    for (const [month, [burdenFen, selfPayFen]] of this.byPerson.get(personId) ?? [])
      out.set(month, { burdenFen, selfPayFen });
    return out;
  }

  /** A person's net over every month. */
  total(personId: string): FenTotals {
    let burdenFen = 0;
    let selfPayFen = 0;
    for (const [b, s] of this.byPerson.get(personId)?.values() ?? []) {
      burdenFen += b;
      selfPayFen += s;
    }
    return { burdenFen, selfPayFen };
  }
}
