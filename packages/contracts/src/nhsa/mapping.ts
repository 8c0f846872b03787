// The mapping of a national-platform settlement exchange to a claim of the contract. Pure: the same
// exchange and institution levels always give the same claim, so ingest and any later backfill of logged
// exchanges produce identical claims (and the accumulator sees a re-sent exchange as the same claim).
// The claim it returns is a raw claim: it still goes through RawClaimSchema like any claim a HIS sends.
import { isCalendarDate, isInstant } from '../dates.ts';
import { REJECTION_CODES, toRejections, type Rejection } from '../errors.ts';
import { fenToYuan, isSignedYuan, yuanToFen } from '../money.ts';
import { residentIdProblem } from '../resident-id.ts';
import type { VisitType } from '../claim.ts';
import {
  NHSA_AMOUNT_FIELDS,
  NHSA_CANCELLATION_INFNOS,
  NHSA_SETTLEMENT_INFNOS,
  NhsaExchangeSchema,
  type NhsaAmountField,
} from './exchange.ts';

export interface NhsaMappingOptions {
  /** The level (1, 2, 3) of an institution by its `fixmedins_code`; undefined when it is not known. */
  institutionLevel(code: string): 1 | 2 | 3 | undefined;
}

/**
 * `claim` is the raw claim made from the exchange, as far as it could be made: on success the whole claim,
 * on failure what was readable (for the dead letter), or null when nothing was.
 */
export type NhsaMapping =
  | { ok: true; claim: Record<string, unknown> }
  | { ok: false; rejections: Rejection[]; claim: Record<string, unknown> | null };

const SETLINFO = 'response.output.setlinfo';
/** 住院 (2x, 52), 门诊 (1x, 51), 急诊 (13), 定点药店购药 (41). */
const VISIT_BY_MED_TYPE: readonly [RegExp, VisitType][] = [
  [/^13$/, 'emergency'],
  [/^1\d$/, 'outpatient'],
  [/^2\d$/, 'inpatient'],
  [/^41$/, 'pharmacy'],
  [/^51$/, 'outpatient'],
  [/^52$/, 'inpatient'],
];
/** A platform code that may be quoted in a rejection message: short and without personal content. */
const QUOTABLE_CODE = /^[0-9A-Za-z]{1,10}$/;
/** `setl_time` as the platform writes it, in Asia/Shanghai local time. */
const PLATFORM_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
/** 居民身份证 in `psn_cert_type`. */
const RESIDENT_CERT_TYPE = '01';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const reject = (code: Rejection['code'], field: string, message: string = REJECTION_CODES[code]): Rejection => ({
  code,
  field,
  message,
});

export function visitTypeOfMedType(medType: string): VisitType | undefined {
  return VISIT_BY_MED_TYPE.find(([pattern]) => pattern.test(medType))?.[1];
}

/**
 * An amount as a HIS logs it, a JSON number or a string, to integer fen; null when it is not money with at
 * most 2 decimals. A number is read through its shortest decimal form, so 12.3 is 12.30 and 0.1 + 0.2
 * (0.30000000000000004) is refused rather than rounded.
 */
export function nhsaAmountToFen(value: unknown): number | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  if (typeof text !== 'string' || !isSignedYuan(text)) return null;
  return yuanToFen(text);
}

function stringField(setlinfo: Record<string, unknown>, name: string, problems: Rejection[]): string | undefined {
  const value = setlinfo[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  problems.push(
    value === undefined || value === null || value === ''
      ? reject('MISSING_FIELD', `${SETLINFO}.${name}`, `${SETLINFO}.${name} is required`)
      : reject('WRONG_TYPE', `${SETLINFO}.${name}`, `${SETLINFO}.${name}: expected a string`),
  );
  return undefined;
}

/** Maps one logged exchange to a raw claim, or says why it cannot be one. */
export function mapNhsaExchange(input: unknown, options: NhsaMappingOptions): NhsaMapping {
  const parsed = NhsaExchangeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, rejections: toRejections(parsed.error.issues, input), claim: null };
  const { request, response } = parsed.data;

  if (Number(response.infcode) !== 0 || String(response.infcode).trim() === '') {
    return { ok: false, rejections: [reject('NHSA_CALL_FAILED', 'response.infcode')], claim: null };
  }
  const infno = request.infno;
  const settlement = (NHSA_SETTLEMENT_INFNOS as readonly string[]).includes(infno);
  const cancellation = (NHSA_CANCELLATION_INFNOS as readonly string[]).includes(infno);
  if (!settlement && !cancellation) {
    const quoted = QUOTABLE_CODE.test(infno) ? ` (${infno})` : '';
    return {
      ok: false,
      rejections: [reject('NHSA_UNKNOWN_INFNO', 'request.infno', `${REJECTION_CODES.NHSA_UNKNOWN_INFNO}${quoted}`)],
      claim: null,
    };
  }
  const output = response.output;
  const setlinfo = isRecord(output) ? output.setlinfo : undefined;
  if (!isRecord(setlinfo)) {
    return { ok: false, rejections: [reject('NHSA_SETTLEMENT_MISSING', SETLINFO)], claim: null };
  }

  const problems: Rejection[] = [];
  const setlId = stringField(setlinfo, 'setl_id', problems);

  // Amounts: each must be money; the platform's own identity is checked once all of them are.
  const fen = {} as Record<NhsaAmountField, number>;
  for (const name of NHSA_AMOUNT_FIELDS) {
    const value = setlinfo[name];
    const field = `${SETLINFO}.${name}`;
    if (value === undefined || value === null || value === '') {
      problems.push(reject('MISSING_FIELD', field, `${field} is required`));
      continue;
    }
    const amount = nhsaAmountToFen(value);
    if (amount === null) {
      problems.push(
        reject(
          'INVALID_MONEY',
          field,
          `${field}: an amount must be a number or a decimal string with at most 2 decimals`,
        ),
      );
    } else {
      fen[name] = amount;
    }
  }
  const amountsRead = NHSA_AMOUNT_FIELDS.every((name) => fen[name] !== undefined);
  if (amountsRead && fen.medfee_sumamt !== fen.fund_pay_sumamt + fen.psn_part_amt + fen.hosp_part_amt) {
    problems.push(reject('NHSA_AMOUNT_IDENTITY', `${SETLINFO}.medfee_sumamt`));
  }

  // The platform writes setl_time in Shanghai local time without an offset: the date is its first ten
  // characters, the instant that time at +08:00.
  let serviceDate: string | undefined;
  let settledAt: string | undefined;
  const setlTime = setlinfo.setl_time;
  const time = typeof setlTime === 'string' ? PLATFORM_TIME.exec(setlTime) : null;
  if (time && isCalendarDate(time[1]!) && isInstant(`${time[1]}T${time[2]}+08:00`)) {
    serviceDate = time[1];
    settledAt = `${time[1]}T${time[2]}+08:00`;
  } else {
    problems.push(
      setlTime === undefined || setlTime === null
        ? reject('MISSING_FIELD', `${SETLINFO}.setl_time`, `${SETLINFO}.setl_time is required`)
        : reject(
            'INVALID_INSTANT',
            `${SETLINFO}.setl_time`,
            `${SETLINFO}.setl_time must be yyyy-MM-dd HH:mm:ss (Asia/Shanghai)`,
          ),
    );
  }

  const medType = stringField(setlinfo, 'med_type', problems);
  const visitType = medType === undefined ? undefined : visitTypeOfMedType(medType);
  if (medType !== undefined && visitType === undefined) {
    const quoted = QUOTABLE_CODE.test(medType) ? ` (${medType})` : '';
    problems.push(
      reject('NHSA_MED_TYPE_UNKNOWN', `${SETLINFO}.med_type`, `${REJECTION_CODES.NHSA_MED_TYPE_UNKNOWN}${quoted}`),
    );
  }

  // A resident identity card's number is the person; any other certificate leaves only the platform's own
  // person number (psn_no), which is as stable for that person and carries no identity number.
  const certType = setlinfo.psn_cert_type;
  let person: { personIdType?: 'other'; personId: string } | undefined;
  if (certType === RESIDENT_CERT_TYPE) {
    const certno = stringField(setlinfo, 'certno', problems);
    if (certno !== undefined) {
      const problem = residentIdProblem(certno);
      if (problem) {
        problems.push(
          reject(
            'INVALID_PERSON_ID',
            `${SETLINFO}.certno`,
            `${SETLINFO}.certno is not a valid resident identity number (${problem})`,
          ),
        );
      }
      person = { personId: certno };
    }
  } else {
    const psnNo = stringField(setlinfo, 'psn_no', problems);
    if (psnNo !== undefined) person = { personIdType: 'other', personId: `nhsa:${psnNo}` };
  }

  const institutionCode = request.fixmedins_code;
  const level = options.institutionLevel(institutionCode);
  if (level === undefined) problems.push(reject('INSTITUTION_LEVEL_UNKNOWN', 'request.fixmedins_code'));

  let reversedClaimId: string | undefined;
  if (cancellation) {
    const data = isRecord(request.input) ? request.input.data : undefined;
    const target = isRecord(data) ? data.setl_id : undefined;
    if (typeof target === 'string' && target !== '') reversedClaimId = target;
    else problems.push(reject('MISSING_FIELD', 'request.input.data.setl_id', 'request.input.data.setl_id is required'));
  }

  const yuan = (n: number | undefined) => (n === undefined ? undefined : fenToYuan(n));
  const claim: Record<string, unknown> = {
    claimId: setlId,
    type: cancellation ? 'reversal' : 'settlement',
    ...(reversedClaimId === undefined ? {} : { reversedClaimId }),
    ...person,
    institution: { code: institutionCode, level },
    visitType,
    // A cancellation's setl_time is when it was made, not when the care was given. It is the only date the
    // cancellation carries; the accumulator nets a reversal in its original's month whatever date it holds.
    serviceDate,
    settledAt,
    ...(amountsRead
      ? {
          amounts: {
            // What the funds and the person paid: the hospital's own share is carried beside, not inside.
            total: yuan(fen.medfee_sumamt - fen.hosp_part_amt),
            policyScope: yuan(fen.inscp_scp_amt),
            basicFund: yuan(fen.hifp_pay),
            criticalIllness: yuan(fen.hifmi_pay + fen.hifob_pay),
            // Every other fund line (civil-servant subsidy, enterprise supplement, other and provincial
            // funds): the fund total less the lines placed above.
            supplementary: yuan(fen.fund_pay_sumamt - fen.hifp_pay - fen.hifmi_pay - fen.hifob_pay - fen.maf_pay),
            assistance: yuan(fen.maf_pay),
            personalAccount: yuan(fen.acct_pay),
            cash: yuan(fen.psn_cash_pay),
          },
          hospitalShare: yuan(fen.hosp_part_amt),
        }
      : {}),
    ...(request.insuplc_admdvs === undefined ? {} : { insuredAreaCode: request.insuplc_admdvs }),
  };
  for (const key of Object.keys(claim)) if (claim[key] === undefined) delete claim[key];
  return problems.length > 0 ? { ok: false, rejections: problems, claim } : { ok: true, claim };
}
