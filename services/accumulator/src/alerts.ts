// Alert jobs into the street queues (docs/contracts.md, "Alerts to street offices"), and into a triage queue for a
// household of one, which has no street: its district's (from the insured area), else the city's. A heavy
// burden is never dropped for want of a registry record. Also the link jobs that tell the alerter a person
// with a household-of-one alert joined a registry household.
import type { Redis } from 'ioredis';
import {
  alertJobId,
  alertPriority,
  CITY_TRIAGE_QUEUE,
  jobIdPart,
  LINK_QUEUE,
  streetDirectoryKey,
  streetQueueName,
  triageDeskOf,
  triageQueueName,
  type AlertJobData,
  type AlertLinkJobData,
} from '@warnline/contracts';
import type { DecisionWarning } from '@warnline/rules';
import { QueueSet } from '@warnline/runtime';

/**
 * The decision's warnings as they go into the job: a caseworker reading the alert must see, next to the
 * figures, that "上年度" income is an older year's or that a figure is not confirmed.
 */
export function alertWarnings(warnings: readonly DecisionWarning[]): NonNullable<AlertJobData['warnings']> {
  return warnings.map(({ parameter, ...rest }) => (parameter ? { ...rest, parameter: { ...parameter } } : rest));
}

export class AlertPublisher {
  private readonly queues: QueueSet;
  /** Streets this process has announced in the street directory (once each is enough). */
  private readonly announced = new Set<string>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {
    this.queues = new QueueSet(connection, prefix);
  }

  /** The queue an alert goes to: its street's; without a street its district's triage, else the city's. */
  static queueName(data: AlertJobData): string {
    if (data.streetCode) return streetQueueName(data.streetCode);
    return data.districtCode ? triageQueueName(data.districtCode) : CITY_TRIAGE_QUEUE;
  }

  /** Adds the alert; the deterministic job id makes a second add of the same alert a no-op in BullMQ. */
  async raise(data: AlertJobData): Promise<void> {
    await this.queues.get(AlertPublisher.queueName(data)).add(data.level, data, {
      jobId: alertJobId(data.householdId, data.level, data.window.to),
      priority: alertPriority(data.level),
      removeOnComplete: false,
      removeOnFail: false,
    });
    // A triage queue is announced under its desk's code, so the alerter consumes it like a street's.
    await this.announce(data.streetCode || triageDeskOf(data.districtCode));
  }

  /** Tells the alerter that a person joined a registry household (once per person and household). */
  async link(data: AlertLinkJobData): Promise<void> {
    await this.queues.get(LINK_QUEUE).add('link', data, {
      jobId: `${jobIdPart(data.personId)}|${jobIdPart(data.householdId)}`,
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  /**
   * Records the street in the directory and tells a running alerter, so the first alert of a new street is
   * consumed at once instead of at the alerter's next sweep. After the add: the announced queue has its job.
   */
  private async announce(street: string): Promise<void> {
    if (this.announced.has(street)) return;
    const key = streetDirectoryKey(this.prefix);
    await this.connection.multi().sadd(key, street).publish(key, street).exec();
    this.announced.add(street);
  }

  async close(): Promise<void> {
    await this.queues.close();
  }
}
