// A settlement exchange with the national medical-insurance platform (国家医保信息平台), as a hospital HIS
// logs it: the request envelope it sent and the response envelope it received. Only the fields the mapping
// reads are described; everything else a version or a province adds (setldetail, extra nodes) is ignored.
import { z } from 'zod';

/** Settlements: 2207 门诊结算, 2304 住院结算. */
export const NHSA_SETTLEMENT_INFNOS = ['2207', '2304'] as const;
/** Cancellations of a settlement: 2208 门诊结算撤销, 2305 住院结算撤销. */
export const NHSA_CANCELLATION_INFNOS = ['2208', '2305'] as const;

/** Envelope fields are read loosely (a string or a number, as HISs differ); the mapping checks their values. */
const text = z.union([z.string(), z.number()]).transform(String);

export const NhsaRequestSchema = z.looseObject({
  infno: text,
  msgid: text.optional(),
  mdtrtarea_admvs: text.optional(),
  insuplc_admdvs: text.optional(),
  fixmedins_code: text,
  inf_time: text.optional(),
  input: z.unknown().optional(),
});

export const NhsaResponseSchema = z.looseObject({
  infcode: z.union([z.string(), z.number()]),
  err_msg: z.unknown().optional(),
  output: z.unknown().optional(),
});

export const NhsaExchangeSchema = z.looseObject({
  request: NhsaRequestSchema,
  response: NhsaResponseSchema,
});
export type NhsaExchange = z.infer<typeof NhsaExchangeSchema>;

/** The amounts of `output.setlinfo` the mapping reads; each a number or a string, in yuan. */
export const NHSA_AMOUNT_FIELDS = [
  'medfee_sumamt',
  'inscp_scp_amt',
  'fund_pay_sumamt',
  'psn_part_amt',
  'hosp_part_amt',
  'hifp_pay',
  'hifmi_pay',
  'hifob_pay',
  'maf_pay',
  'acct_pay',
  'psn_cash_pay',
] as const;
export type NhsaAmountField = (typeof NHSA_AMOUNT_FIELDS)[number];
