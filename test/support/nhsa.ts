// National-platform settlement exchanges as a hospital HIS logs them (request envelope sent, response
// envelope received), for tests of POST /v1/nhsa/exchanges and his.nhsa.raw.v1.
import { fenToYuan } from '@warnline/contracts';
import { daysAgo, residentId } from './fixtures.ts';

export type Infno = '2207' | '2304' | '2208' | '2305';

export interface ExchangeOptions {
  infno?: Infno;
  setlId?: string;
  /** For 2208/2305: the settlement cancelled. */
  cancels?: string;
  certno?: string;
  /** psn_cert_type; "01" (resident identity card) by default. */
  certType?: string;
  psnNo?: string;
  medType?: string;
  /** yyyy-MM-dd HH:mm:ss, Shanghai; 3 days ago at 10:30:15 by default. */
  setlTime?: string;
  fixmedinsCode?: string;
  insuplcAdmdvs?: string;
  /** How the HIS writes amounts: JSON numbers or strings with 2 decimals. */
  amountsAs?: 'number' | 'string';
  /** psn_cash_pay in fen; 524990 by default. */
  cashFen?: number;
  hospPartFen?: number;
  /** -1 writes the amounts negative, as some HISs log a cancellation. */
  sign?: 1 | -1;
  /** Replaces fields of output.setlinfo as given (e.g. to break it). */
  setlinfo?: Record<string, unknown>;
  infcode?: number | string;
}

let seq = 0;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A unique platform settlement id, shaped like the platform's (region, then digits). */
export function setlId(): string {
  seq += 1;
  return `310000G${Date.now()}${pad(process.pid % 1000, 3)}${pad(seq, 4)}`;
}

export function nhsaExchange(options: ExchangeOptions = {}) {
  const infno = options.infno ?? '2304';
  const cancellation = infno === '2208' || infno === '2305';
  const setlTime = options.setlTime ?? `${daysAgo(3)} 10:30:15`;
  const certno = options.certno ?? residentId(1);
  const psnNo = options.psnNo ?? `31000000000000${pad(Number(certno.slice(-5, -1)) || 0, 6)}`;
  const code = options.fixmedinsCode ?? 'H31011000012';
  const sign = options.sign ?? 1;
  const as = options.amountsAs ?? 'string';
  const money = (fen: number) => (as === 'number' ? (sign * fen) / 100 : fenToYuan(sign * fen));

  const hifp = 980000;
  const hifmi = 210050;
  const hifob = 0;
  const maf = 50000;
  const cvlserv = 0;
  const hifes = 0;
  const oth = 0;
  const acct = 100000;
  const cash = options.cashFen ?? 524990;
  const hospPart = options.hospPartFen ?? 0;
  const fund = hifp + hifmi + hifob + maf + cvlserv + hifes + oth;
  const psnPart = acct + cash;
  const medfee = fund + psnPart + hospPart;
  const id = options.setlId ?? setlId();
  const mdtrtId = `310000M${id.slice(7)}`;
  const stamp = setlTime.replace(/\D/g, '');

  const setlinfo: Record<string, unknown> = {
    mdtrt_id: mdtrtId,
    setl_id: id,
    psn_no: psnNo,
    psn_name: '张三',
    psn_cert_type: options.certType ?? '01',
    certno,
    gend: '1',
    naty: '01',
    brdy: `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
    age: 66,
    insutype: '310',
    psn_type: '11',
    cvlserv_flag: '0',
    setl_time: setlTime,
    mdtrt_cert_type: '02',
    med_type: options.medType ?? (infno === '2207' || infno === '2208' ? '11' : '21'),
    medfee_sumamt: money(medfee),
    fulamt_ownpay_amt: money(120000),
    overlmt_selfpay: money(0),
    preselfpay_amt: money(35000),
    inscp_scp_amt: money(medfee - 155000 - hospPart),
    act_pay_dedc: money(0),
    hifp_pay: money(hifp),
    pool_prop_selfpay: money(245000),
    cvlserv_pay: money(cvlserv),
    hifes_pay: money(hifes),
    hifmi_pay: money(hifmi),
    hifob_pay: money(hifob),
    maf_pay: money(maf),
    oth_pay: money(oth),
    fund_pay_sumamt: money(fund),
    psn_part_amt: money(psnPart),
    acct_pay: money(acct),
    psn_cash_pay: money(cash),
    hosp_part_amt: money(hospPart),
    balc: money(823455),
    acct_mulaid_pay: money(0),
    medins_setl_id: `${code}${stamp}0001`,
    clr_optins: '310000',
    clr_way: '1',
    clr_type: infno === '2304' || infno === '2305' ? '21' : '11',
    ...options.setlinfo,
  };
  const input = cancellation
    ? { data: { setl_id: options.cancels ?? 'missing', mdtrt_id: mdtrtId, psn_no: psnNo } }
    : {
        data: {
          psn_no: psnNo,
          mdtrt_cert_type: '02',
          mdtrt_cert_no: certno,
          med_type: setlinfo.med_type,
          medfee_sumamt: setlinfo.medfee_sumamt,
          psn_setlway: '01',
          mdtrt_id: mdtrtId,
          insutype: '310',
          acct_used_flag: '1',
        },
      };
  return {
    request: {
      infno,
      msgid: `${code}${stamp}${pad(seq % 10000, 4)}`,
      mdtrtarea_admvs: '310115',
      insuplc_admdvs: options.insuplcAdmdvs ?? '310115',
      recer_sys_code: 'MBS_LOCAL',
      dev_no: '',
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '1',
      opter: '0301',
      opter_name: '李收费',
      inf_time: setlTime,
      fixmedins_code: code,
      fixmedins_name: '上海交通大学医学院附属瑞金医院',
      sign_no: `${stamp}0042`,
      input,
    },
    response: {
      infcode: options.infcode ?? 0,
      inf_refmsgid: `310000${stamp}${pad(seq, 8)}`,
      refmsg_time: `${stamp}123`,
      respond_time: `${stamp}456`,
      err_msg: null,
      warn_msg: null,
      output: {
        setlinfo,
        setldetail: [
          {
            fund_pay_type: '310100',
            inscp_scp_amt: setlinfo.inscp_scp_amt,
            crt_payb_lmt_amt: money(0),
            fund_payamt: setlinfo.hifp_pay,
            fund_pay_type_name: '职工基本医疗保险统筹基金',
            setl_proc_info: '',
          },
        ],
      },
    },
  };
}
