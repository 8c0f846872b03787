// Sends many messages to one topic in order, in requests below the broker's message size limit (1 MiB by
// default): one batch of decisions or dead letters can be larger than that.
import type { Message } from 'kafkajs';
import type { KafkaSender } from '@warnline/runtime';

/** Bytes per produce request, well under the default max.message.bytes of 1 MiB. */
const MAX_REQUEST_BYTES = 512 * 1024;

export async function sendInOrder(producer: KafkaSender, topic: string, messages: readonly Message[]): Promise<void> {
  let chunk: Message[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = (m.value?.length ?? 0) + (typeof m.key === 'string' ? m.key.length : (m.key?.length ?? 0)) + 64;
    if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      await producer.send({ topic, acks: -1, messages: chunk });
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) await producer.send({ topic, acks: -1, messages: chunk });
}
