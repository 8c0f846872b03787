// alerts.audit.v1: every alert event, appended with acks from all in-sync replicas (acks -1), key = alertId
// so one alert's events stay in order within a partition. The producer is replaced after any failed send, as
// every warnline producer is, so a retried append is never mistaken for one already written.
import type { Kafka } from 'kafkajs';
import type { AlertAuditEvent } from '@warnline/contracts';
import { SessionProducer } from '@warnline/runtime';

export class AuditLog {
  private readonly producer: SessionProducer;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = new SessionProducer(kafka);
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async append(event: AlertAuditEvent): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [{ key: event.alertId, value: JSON.stringify(event), headers: { eventId: event.eventId } }],
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
