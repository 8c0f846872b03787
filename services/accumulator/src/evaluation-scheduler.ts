// Coalesced evaluation: the households touched by every batch this instance works on (several partitions at
// once, claims and registry records alike) are gathered for a bounded delay and evaluated in one round, each
// household once, instead of once per batch. In a time-ordered feed a household's claims are spread over many
// batches, so a round covers several claims of most of its households.
//
// Why this stays exact and never publishes a stale decision:
// - a batch hands its households over only after all of its claims are applied, and a round takes only the
//   households handed over before it starts: the round's sequence numbers (begin-evaluation-1.lua) are
//   therefore handed out after the batch's changes, so its decisions have seen them;
// - a household handed over while a round runs waits for the next round (the running one may have read its
//   members before the change);
// - a batch's promise resolves only when the round covering its households has recorded, alerted, published
//   and confirmed every decision: its offsets are committed after that, never before; a crash in between
//   replays the batch, and its households are evaluated again;
// - the compare-and-set on sequence numbers and the publish confirmation (evaluator.ts) are unchanged.
import type { EvaluationStats, Evaluator, Target } from './evaluator.ts';

export interface EvaluationSchedulerOptions {
  evaluator: Pick<Evaluator, 'run'>;
  /** Longest a household handed over waits for its round to start, in milliseconds (EVALUATION_DELAY_MS). */
  delayMs: number;
}

interface Waiter {
  targets: readonly Target[];
  asOf: string;
  heartbeat: () => Promise<void>;
  resolve: (stats: EvaluationStats) => void;
  reject: (error: unknown) => void;
}

const targetKey = (t: Target) => (t.kind === 'household' ? `h:${t.id}` : `s:${t.person}`);

export class EvaluationScheduler {
  private waiting: Waiter[] = [];
  private firstWaitingAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: EvaluationSchedulerOptions) {}

  /**
   * THE point where households to evaluate are handed over (claims and registry records both come through
   * here). Resolves once a round that started after this call has evaluated every target and published what
   * changed; rejects when that round failed for one of these targets. Call it only after the changes that
   * made these households worth evaluating are written.
   */
  scheduleEvaluation(
    targets: readonly Target[],
    asOf: string,
    heartbeat: () => Promise<void>,
  ): Promise<EvaluationStats> {
    if (targets.length === 0) return Promise.resolve({ evaluated: 0, published: 0, alerts: 0 });
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.firstWaitingAt = performance.now();
      this.waiting.push({ targets, asOf, heartbeat, resolve, reject });
      this.plan();
    });
  }

  /** Starts the next round when the oldest waiter has waited `delayMs`, unless a round is running. */
  private plan(): void {
    if (this.running || this.timer !== undefined || this.waiting.length === 0) return;
    const wait = Math.max(0, this.options.delayMs - (performance.now() - this.firstWaitingAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, wait);
  }

  private async round(): Promise<void> {
    const waiters = this.waiting;
    this.waiting = [];
    this.running = true;
    try {
      await this.evaluate(waiters);
    } finally {
      this.running = false;
      this.plan();
    }
  }

  private async evaluate(waiters: Waiter[]): Promise<void> {
    const unique = new Map<string, Target>();
    for (const w of waiters) for (const t of w.targets) unique.set(targetKey(t), t);
    // A later as-of date is the newer view: a round evaluates as of the latest date asked for.
    const asOf = waiters.reduce((latest, w) => (w.asOf > latest ? w.asOf : latest), waiters[0]!.asOf);
    // The waiting batches may belong to different group members of this instance (KAFKA_CONSUMERS): each
    // member's partitions are kept by its own heartbeat. kafkajs sends at most one per heartbeat interval.
    const heartbeat = async () => {
      await Promise.all(waiters.map((w) => w.heartbeat()));
    };
    try {
      const stats = await this.options.evaluator.run([...unique.values()], asOf, heartbeat);
      for (const w of waiters) w.resolve(stats);
    } catch (error) {
      if (waiters.length === 1) {
        waiters[0]!.reject(error);
        return;
      }
      // One household's failure must not fail every batch of the round: each batch's households alone, so
      // the error reaches only the batch (and, after isolation, the record) it belongs to.
      for (const w of waiters) {
        await this.options.evaluator.run(w.targets, w.asOf, w.heartbeat).then(w.resolve, w.reject);
      }
    }
  }
}
