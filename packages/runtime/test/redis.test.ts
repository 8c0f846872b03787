// Which Redis a service uses, and when its settings stop the start: pure logic, no Redis needed.
import { describe, expect, it } from 'vitest';
import { isRedisCluster, redisSettingsProblem, redisClusterNodes } from '../src/index.ts';

describe('Redis settings', () => {
  it('a single Redis from REDIS_URL; a cluster once REDIS_CLUSTER_NODES names a node', () => {
    expect(isRedisCluster({ REDIS_URL: 'redis://127.0.0.1:6379' })).toBe(false);
    expect(isRedisCluster({ REDIS_CLUSTER_NODES: [] })).toBe(false);
    expect(isRedisCluster({ REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: ['127.0.0.1:19300'] })).toBe(true);
  });

  it('parses the seed nodes as a comma-separated list', () => {
    expect(redisClusterNodes.parse(' a:1, b:2 ,')).toEqual(['a:1', 'b:2']);
    expect(redisClusterNodes.parse(undefined)).toBeUndefined();
  });

  it('needs one of the two settings', () => {
    expect(redisSettingsProblem({})).toMatch(/REDIS_URL or REDIS_CLUSTER_NODES/);
    expect(redisSettingsProblem({ REDIS_URL: 'redis://127.0.0.1:6379' }, 'warnline')).toBeNull();
  });

  it('on a cluster, the BullMQ prefix must be a hash tag', () => {
    const cluster = { REDIS_CLUSTER_NODES: ['127.0.0.1:19300'] };
    expect(redisSettingsProblem(cluster, 'warnline')).toMatch(/\{warnline\}/);
    expect(redisSettingsProblem(cluster, '{warnline}')).toBeNull();
    expect(redisSettingsProblem(cluster, 'prod:{warnline}')).toBeNull();
    expect(redisSettingsProblem(cluster, '{}')).not.toBeNull();
    // A service that has no queues has no prefix to check.
    expect(redisSettingsProblem(cluster)).toBeNull();
  });
});
