// Consumer progress of a group, read from its committed offsets with one admin connection kept open (a
// fresh connection per probe, as test/support/lag.ts does, costs more than the probe on a busy broker).
// kafkajs' admin keeps asking for metadata of every topic it has looked at; once another client deletes one
// of them (the previous phase's cleanup), each call fails with UNKNOWN_TOPIC_OR_PARTITION. The probe then
// starts over with a new admin, once per call.
import type { Admin, Kafka } from 'kafkajs';
import { groupPositions } from '@warnline/test';

export interface LagProbe {
  /** Messages of `topics` the group has not committed yet. */
  lag(groupId: string, topics: string[]): Promise<number>;
  /** Messages the group has committed, counted from each partition's low watermark. */
  committed(groupId: string, topics: string[]): Promise<number>;
  /** Whether the group has members with partitions assigned (Stable): from then on it may consume. */
  joined(groupId: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function createLagProbe(kafka: Kafka): Promise<LagProbe> {
  let admin: Admin = kafka.admin();
  await admin.connect();

  const read = (groupId: string, topics: string[]) => groupPositions(admin, groupId, topics);

  async function positions(groupId: string, topics: string[]) {
    try {
      return await read(groupId, topics);
    } catch {
      await admin.disconnect().catch(() => undefined);
      admin = kafka.admin();
      await admin.connect();
      return read(groupId, topics);
    }
  }

  return {
    lag: async (g, t) => (await positions(g, t)).lag,
    committed: async (g, t) => (await positions(g, t)).done,
    joined: async (g) => {
      const describe = () => admin.describeGroups([g]);
      const { groups } = await describe().catch(async () => {
        await admin.disconnect().catch(() => undefined);
        admin = kafka.admin();
        await admin.connect();
        return describe();
      });
      return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
    },
    close: () => admin.disconnect(),
  };
}
