// Lua scripts, registered once per connection and called through typed wrappers, so a caller cannot get the
// key order or the reply shape wrong.
// The status codes of every script's "Returns" header are mapped here and nowhere else.
import { readFileSync } from 'node:fs';
import type { ChainableCommander, Redis } from 'ioredis';
import { ALERT_STATES, serviceError, type AlertState, type Breach, type CodedError } from '@warnline/contracts';
import { ALERT_LEVELS, type AlertKeys, type AlertLevel, type StreetKeys } from './keys.ts';

const file = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
/** A script as Redis runs it: the shared functions of library.lua first, so every script can call them. */
const source = (name: string) => `${file('library')}\n${file(name)}`;

type Reply = (string | number)[];

// The positional commands stay private to this module: callers use the typed wrappers below.
interface ScriptCommands {
  alerterIngestJob(...keysAndArgs: string[]): Promise<Reply>;
  alerterTransition(...keysAndArgs: string[]): Promise<Reply>;
  alerterBreach(...keysAndArgs: string[]): Promise<Reply>;
  alerterLink(...keysAndArgs: string[]): Promise<Reply>;
  alerterRecordReveal(...keysAndArgs: string[]): Promise<Reply>;
}
const commands = (redis: Redis) => redis as unknown as ScriptCommands;
/** The read script takes a variable number of keys: its count comes first. */
interface PipelineScriptCommands {
  alerterDashboardRead(keyCount: number, ...keysAndArgs: string[]): ChainableCommander;
}

export function registerScripts(redis: Redis): void {
  redis.defineCommand('alerterIngestJob', { numberOfKeys: 9, lua: source('ingest-job-9') });
  redis.defineCommand('alerterTransition', { numberOfKeys: 14, lua: source('transition-14') });
  redis.defineCommand('alerterBreach', { numberOfKeys: 4, lua: source('breach-4') });
  redis.defineCommand('alerterLink', { numberOfKeys: 3, lua: source('link-3') });
  redis.defineCommand('alerterRecordReveal', { numberOfKeys: 3, lua: source('record-reveal-3') });
  redis.defineCommand('alerterDashboardRead', { lua: file('dashboard-read') });
}

/** The open-alert sets by level, lowest first: the scripts take them in that order. */
const openLevelKeys = (street: Pick<StreetKeys, 'openLevel'>) => ALERT_LEVELS.map((level) => street.openLevel[level]);

/** KEYS and ARGV of one script call, in the order of the script's header. */
export interface ScriptCall {
  keys: string[];
  argv: string[];
}

/** What ingest-job-9.lua needs to record one street-queue (or triage-queue) job. */
export interface IngestJobCall {
  street: Pick<StreetKeys, 'jobs' | 'open' | 'outbox' | 'state' | 'openLevel'>;
  /** The state a new alert starts in: `new` in a street, `triage` in a triage desk. */
  initial: 'new' | 'triage';
  alert: AlertKeys;
  jobId: string;
  householdId: string;
  /** The open alert the caller saw, or a fresh id when it saw none. */
  alertId: string;
  /** Whether the caller saw an open alert of the household: the script refuses when that changed since. */
  seen: 'new' | 'existing';
  level: AlertLevel;
  /** The job data as JSON, kept on the alert as its latest decision. */
  dataJson: string;
  now: Date;
  streetCode: string;
  districtCode: string;
  /** The street's time limits; null in a triage desk. */
  acknowledgeDueAt: Date | null;
  closeDueAt: Date | null;
  /** The triage desk's time limit; null in a street. */
  assignDueAt: Date | null;
}

export function ingestJobCall(c: IngestJobCall): ScriptCall {
  return {
    keys: [
      c.street.jobs,
      c.street.open,
      c.alert.alert,
      c.alert.history,
      c.street.outbox,
      c.street.state[c.initial],
      ...openLevelKeys(c.street),
    ],
    argv: [
      c.jobId,
      c.householdId,
      c.alertId,
      c.seen,
      c.level,
      c.dataJson,
      c.now.toISOString(),
      String(c.now.getTime()),
      c.streetCode,
      c.districtCode,
      c.acknowledgeDueAt?.toISOString() ?? '',
      c.closeDueAt?.toISOString() ?? '',
      c.initial,
      c.assignDueAt?.toISOString() ?? '',
    ],
  };
}

export async function ingestJob(redis: Redis, call: IngestJobCall): Promise<IngestResult> {
  const { keys, argv } = ingestJobCall(call);
  return ingestResult(await commands(redis).alerterIngestJob(...keys, ...argv));
}

/** What transition-14.lua needs for one transition. */
export interface TransitionCall {
  street: Pick<StreetKeys, 'outbox' | 'open' | 'overdue' | 'state' | 'openLevel'>;
  alert: AlertKeys;
  alertId: string;
  /** The only state the transition may start from. */
  from: AlertState;
  to: AlertState;
  /** The event's action name (acknowledged | investigating | closed | assigned). */
  action: string;
  /** Empty for none. */
  outcome: string;
  /** Empty for none; already masked. */
  note: string;
  actorName: string;
  actorRole: string;
  now: Date;
  /** Empty for none: the street assigned to, the district handed over to, `<street>/<household>` linked to. */
  target: string;
}

export function transitionCall(c: TransitionCall): ScriptCall {
  return {
    keys: [
      c.alert.alert,
      c.alert.history,
      c.street.outbox,
      c.street.open,
      c.street.overdue,
      ...ALERT_STATES.map((state) => c.street.state[state]),
      ...openLevelKeys(c.street),
    ],
    argv: [
      c.alertId,
      c.from,
      c.to,
      c.action,
      c.outcome,
      c.note,
      c.actorName,
      c.actorRole,
      c.now.toISOString(),
      c.target,
    ],
  };
}

export async function transition(redis: Redis, call: TransitionCall): Promise<TransitionResult> {
  const { keys, argv } = transitionCall(call);
  return transitionResult(await commands(redis).alerterTransition(...keys, ...argv));
}

/** What breach-4.lua needs when a time limit fires. */
export interface BreachCall {
  street: Pick<StreetKeys, 'outbox' | 'overdue'>;
  alert: AlertKeys;
  alertId: string;
  breach: Breach;
  now: Date;
}

export function breachCall(c: BreachCall): ScriptCall {
  return {
    keys: [c.alert.alert, c.alert.history, c.street.outbox, c.street.overdue],
    argv: [c.alertId, c.breach, c.now.toISOString()],
  };
}

export async function breach(redis: Redis, call: BreachCall): Promise<BreachResult> {
  const { keys, argv } = breachCall(call);
  return breachResult(await commands(redis).alerterBreach(...keys, ...argv));
}

/** What link-3.lua needs to record that another alert took over from one or came from it. */
export interface LinkCall {
  street: Pick<StreetKeys, 'outbox'>;
  alert: AlertKeys;
  alertId: string;
  otherAlertId: string;
  /** The other alert is where this triage alert went (kept as assignedAlertId). */
  assigned: boolean;
  now: Date;
}

export function linkCall(c: LinkCall): ScriptCall {
  return {
    keys: [c.alert.alert, c.alert.history, c.street.outbox],
    argv: [c.alertId, c.otherAlertId, c.now.toISOString(), c.assigned ? 'assigned' : ''],
  };
}

export async function link(redis: Redis, call: LinkCall): Promise<LinkResult> {
  const { keys, argv } = linkCall(call);
  return linkResult(await commands(redis).alerterLink(...keys, ...argv));
}

/** What record-reveal-3.lua needs to record a reveal request. */
export interface RecordRevealCall {
  street: Pick<StreetKeys, 'outbox'>;
  alert: AlertKeys;
  alertId: string;
  actorName: string;
  actorRole: string;
  now: Date;
  /** Already masked. */
  purpose: string;
}

export function recordRevealCall(c: RecordRevealCall): ScriptCall {
  return {
    keys: [c.alert.alert, c.alert.history, c.street.outbox],
    argv: [c.alertId, c.actorName, c.actorRole, c.now.toISOString(), c.purpose],
  };
}

export async function recordReveal(redis: Redis, call: RecordRevealCall): Promise<RecordRevealResult> {
  const { keys, argv } = recordRevealCall(call);
  return recordRevealResult(await commands(redis).alerterRecordReveal(...keys, ...argv));
}

/** Statuses of record-reveal-3.lua. */
export const RECORD_REVEAL = { notFound: -2, recorded: 1 } as const;

export type RecordRevealResult = { kind: 'not-found' } | { kind: 'recorded'; event: string };

export function recordRevealResult(reply: Reply): RecordRevealResult {
  const [code, event] = reply;
  switch (Number(code)) {
    case RECORD_REVEAL.notFound:
      return { kind: 'not-found' };
    case RECORD_REVEAL.recorded:
      return { kind: 'recorded', event: String(event) };
    default:
      throw scriptStatusError('record-reveal-3', code);
  }
}

/** What dashboard-read.lua needs to read one street's figures. */
export interface DashboardReadCall {
  street: Pick<StreetKeys, 'openLevel' | 'overdue' | 'state' | 'dashboard'>;
  /** The window's first and last day (today), as day numbers (days since 1970-01-01). */
  firstDay: number;
  lastDay: number;
}

export function dashboardReadCall(c: DashboardReadCall): ScriptCall {
  return {
    keys: [
      ...openLevelKeys(c.street),
      c.street.overdue,
      c.street.dashboard.opened,
      c.street.dashboard.outcomes,
      c.street.dashboard.levels,
      c.street.dashboard.acknowledgeDurations,
      c.street.dashboard.closeDurations,
      c.street.dashboard.durationDays,
      c.street.dashboard.version,
      ...ALERT_STATES.map((state) => c.street.state[state]),
    ],
    argv: [String(c.firstDay), String(c.lastDay)],
  };
}

/** Adds one street's read to a pipeline; its reply is parsed by dashboardReadResult. */
export function queueDashboardRead(pipeline: ChainableCommander, call: DashboardReadCall): void {
  const { keys, argv } = dashboardReadCall(call);
  (pipeline as unknown as PipelineScriptCommands).alerterDashboardRead(keys.length, ...keys, ...argv);
}

export interface DashboardReadResult {
  open: Record<AlertLevel, number>;
  overdue: number;
  byState: Record<AlertState, number>;
  /** Monday → count. */
  opened: Record<string, string>;
  /** `YYYY-MM:<outcome>` → count. */
  outcomes: Record<string, string>;
  /** `YYYY-MM-DD:<watch>:<warning>:<action>`, oldest first: the last before the window, then the window's. */
  levels: string[];
  acknowledge: Map<number, number>;
  close: Map<number, number>;
  /** The street's dash:version when it was read: the figures are current while it is unchanged. */
  version: string;
}

/** The entries of one of dashboard-read.lua's `key=value,…` strings. */
function entries(joined: unknown): [string, string][] {
  const text = String(joined ?? '');
  if (text === '') return [];
  return text.split(',').map((entry) => {
    const at = entry.lastIndexOf('=');
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
}

function histogram(joined: unknown): Map<number, number> {
  const out = new Map<number, number>();
  for (const [bucket, n] of entries(joined)) out.set(Number(bucket), Number(n));
  return out;
}

export function dashboardReadResult(reply: unknown): DashboardReadResult {
  const r = reply as unknown[];
  const sizes = (r[4] as number[]) ?? [];
  const levels = String(r[7] ?? '');
  return {
    open: { watch: Number(r[0]), warning: Number(r[1]), action: Number(r[2]) },
    overdue: Number(r[3]),
    byState: Object.fromEntries(ALERT_STATES.map((state, i) => [state, Number(sizes[i] ?? 0)])) as Record<
      AlertState,
      number
    >,
    opened: Object.fromEntries(entries(r[5])),
    outcomes: Object.fromEntries(entries(r[6])),
    levels: levels === '' ? [] : levels.split(','),
    acknowledge: histogram(r[8]),
    close: histogram(r[9]),
    version: String(r[10] ?? '0'),
  };
}

/** Statuses of ingest-job-9.lua. */
export const INGEST_JOB = { duplicate: 0, stale: -1, opened: 1, levelRaised: 2, reRaised: 3 } as const;

/** Statuses of transition-14.lua. */
export const TRANSITION = { notFound: -2, wrongState: -1, done: 1 } as const;

/** Statuses of breach-4.lua. */
export const BREACH = { notFound: -2, inTime: 0, overdue: 1 } as const;

/** Statuses of link-3.lua. */
export const LINK = { notFound: -2, known: 0, linked: 1 } as const;

/** The error of a status a script's caller does not know: the script and this file are out of step. */
export function scriptStatusError(script: string, status: unknown): CodedError {
  return serviceError('SCRIPT_STATUS_UNKNOWN', { message: `${script} returned an unknown status ${String(status)}` });
}

export type IngestResult =
  | { kind: 'duplicate'; alertId: string }
  | { kind: 'stale' }
  | { kind: 'opened' | 'level-raised' | 're-raised'; alertId: string; event: string };

export function ingestResult(reply: Reply): IngestResult {
  const [code, alertId, event] = reply;
  switch (Number(code)) {
    case INGEST_JOB.duplicate:
      return { kind: 'duplicate', alertId: String(alertId) };
    case INGEST_JOB.stale:
      return { kind: 'stale' };
    case INGEST_JOB.opened:
      return { kind: 'opened', alertId: String(alertId), event: String(event) };
    case INGEST_JOB.levelRaised:
      return { kind: 'level-raised', alertId: String(alertId), event: String(event) };
    case INGEST_JOB.reRaised:
      return { kind: 're-raised', alertId: String(alertId), event: String(event) };
    default:
      throw scriptStatusError('ingest-job-9', code);
  }
}

export type TransitionResult =
  { kind: 'not-found' } | { kind: 'wrong-state'; state: string } | { kind: 'done'; event: string; openedAtMs: number };

export function transitionResult(reply: Reply): TransitionResult {
  const [code, a, b] = reply;
  switch (Number(code)) {
    case TRANSITION.notFound:
      return { kind: 'not-found' };
    case TRANSITION.wrongState:
      return { kind: 'wrong-state', state: String(a) };
    case TRANSITION.done:
      return { kind: 'done', event: String(a), openedAtMs: Number(b) };
    default:
      throw scriptStatusError('transition-14', code);
  }
}

export type BreachResult = { kind: 'not-found' } | { kind: 'in-time' } | { kind: 'overdue'; event: string };

export function breachResult(reply: Reply): BreachResult {
  const [code, event] = reply;
  switch (Number(code)) {
    case BREACH.notFound:
      return { kind: 'not-found' };
    case BREACH.inTime:
      return { kind: 'in-time' };
    case BREACH.overdue:
      return { kind: 'overdue', event: String(event) };
    default:
      throw scriptStatusError('breach-4', code);
  }
}

export type LinkResult = { kind: 'not-found' } | { kind: 'known' } | { kind: 'linked'; event: string };

export function linkResult(reply: Reply): LinkResult {
  const [code, event] = reply;
  switch (Number(code)) {
    case LINK.notFound:
      return { kind: 'not-found' };
    case LINK.known:
      return { kind: 'known' };
    case LINK.linked:
      return { kind: 'linked', event: String(event) };
    default:
      throw scriptStatusError('link-3', code);
  }
}
