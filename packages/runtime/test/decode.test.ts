// The shared first steps of decoding a Kafka message value.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeMessage } from '../src/index.ts';

const Schema = z.object({ id: z.string().min(1), n: z.number() });
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('decodeMessage', () => {
  it('refuses an empty value and one that is not JSON with UNPARSEABLE_MESSAGE', () => {
    for (const [value, message] of [
      [null, 'empty message'],
      [bytes(''), 'empty message'],
      [bytes('{"id":'), 'the message is not JSON'],
    ] as const) {
      expect(decodeMessage(value, Schema)).toEqual({
        ok: false,
        rejections: [{ code: 'UNPARSEABLE_MESSAGE', field: '(item)', message }],
        input: undefined,
      });
    }
  });

  it('returns what the schema parses, or its issues as rejections with the input', () => {
    expect(decodeMessage(bytes('{"id":"a","n":1,"extra":true}'), Schema)).toEqual({
      ok: true,
      value: { id: 'a', n: 1 },
    });
    const bad = decodeMessage(bytes('{"id":"","n":"1"}'), Schema);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.input).toEqual({ id: '', n: '1' });
    expect(bad.rejections.map((r) => r.field).sort()).toEqual(['id', 'n']);
  });

  it('takes the fast path when it accepts, and the schema when it declines', () => {
    const fast = (json: unknown) => ((json as { n?: unknown }).n === 7 ? { id: 'fast', n: 7 } : null);
    expect(decodeMessage(bytes('{"id":"x","n":7}'), Schema, fast)).toEqual({ ok: true, value: { id: 'fast', n: 7 } });
    expect(decodeMessage(bytes('{"id":"x","n":8}'), Schema, fast)).toEqual({ ok: true, value: { id: 'x', n: 8 } });
  });
});
