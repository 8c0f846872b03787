// Topics for tests: created, then waited on until the broker serves every partition. Topic creation
// returns once the metadata names leaders, but a leader can still answer "This server does not host this
// topic-partition" (or "is not the leader") for a moment while it loads the new partitions; a test that
// writes at once then fails on a loaded machine. Waiting here means no test has to retry its own set-up.
import type { ITopicConfig, Kafka } from 'kafkajs';
import { ensureTopics } from '@warnline/runtime';
import { waitFor } from '@warnline/infra';

/**
 * Creates whichever of the topics are missing, then waits until every partition has a leader in the
 * metadata and that leader answers for it (a ListOffsets per topic: read-only, so nothing lands in the
 * topics). Topics that already existed are waited on the same way.
 */
export async function createTestTopics(kafka: Kafka, topics: ITopicConfig[], timeoutMs = 60_000): Promise<void> {
  await ensureTopics(kafka, topics);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = topics.map((t) => t.topic);
    await waitFor(
      `every partition of ${names.length} topics served by its leader`,
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: names });
        const ready = metadata.topics.every((t) => {
          const wanted = topics.find((s) => s.topic === t.name)?.numPartitions ?? -1;
          return (
            (wanted < 1 || t.partitions.length === wanted) &&
            t.partitions.every((p) => p.leader >= 0 && p.partitionErrorCode === 0)
          );
        });
        if (!ready) return false;
        for (const name of names) await admin.fetchTopicOffsets(name);
        return true;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } finally {
    await admin.disconnect();
  }
}
