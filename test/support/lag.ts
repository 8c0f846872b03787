// Consumer lag of a group: how many messages it has not committed yet. Zero means "all processed".
import type { Kafka } from 'kafkajs';

export async function consumerLag(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const c = done.find((p) => p.partition === end.partition);
        const at = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(end.low);
        lag += Number(end.high) - at;
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
