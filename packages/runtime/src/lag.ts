// Consumer lag of a group: how many messages it has not committed yet. Zero means "all processed" (tests wait
// on it; the go-live waits on it before it evaluates).
import type { Admin, Kafka } from 'kafkajs';

/** A group's progress on `topics` with an open admin: messages not committed yet, and committed ones. */
export async function groupPositions(
  admin: Admin,
  groupId: string,
  topics: string[],
): Promise<{ lag: number; done: number }> {
  let lag = 0;
  let done = 0;
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const parts = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const c = parts.find((p) => p.partition === end.partition);
      // No commit yet: the group starts at the low watermark (fromBeginning).
      const at = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
      lag += Number(end.high) - at;
      done += at - Number(end.low);
    }
  }
  return { lag, done };
}

export async function consumerLag(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await groupPositions(admin, groupId, topics)).lag;
  } finally {
    await admin.disconnect();
  }
}
