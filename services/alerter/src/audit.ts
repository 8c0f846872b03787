// alerts.audit.v1: every alert event, appended with acks from all in-sync replicas (acks -1), key = alertId
// so one alert's events stay in order within a partition.
import type { Kafka, Producer } from 'kafkajs';
import type { AlertAuditEvent } from '@warnline/contracts';

export class AuditLog {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
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
