--[[
  Compare-and-set of a household's decision status on the state sequence number: a decision computed from an
  older read never overwrites one computed from a newer read, whichever instance finishes last.

  KEYS[1]  household hash or solo status hash: "pub" seq of the decision held, "dig" its digest, "lvl" its
           level, "ack" seq of the last decision known to be on household-status.v1, "alvl" that one's level
  KEYS[2]  for a household of one, the person hash (same hash tag); for a registry household, KEYS[1] again

  ARGV[1]  seq from begin-evaluation-1.lua
  ARGV[2]  digest of what is material in the decision ("~" = retired: nothing to publish, or a tombstone)
  ARGV[3]  level
  ARGV[4]  "1" to publish even when the digest is unchanged (a retry after a newer decision overtook ours)
  ARGV[5]  "1" when KEYS[1] is a household of one

  Returns  { 0 }                  stale: a decision from a newer read is held, do nothing
           { 1 }                  unchanged and already published: nothing to do
           { 2, ackedLevel, dig } publish it (and raise an alert when the level rose above ackedLevel), then
                                  call confirm-published-1.lua
]]
local seq = tonumber(ARGV[1])
local pub = tonumber(redis.call('HGET', KEYS[1], 'pub')) or 0
if seq <= pub then return { 0 } end
local digest, level = ARGV[2], ARGV[3]
-- A household of one ends when the person joins a registry household: publish its tombstone instead.
if ARGV[5] == '1' and redis.call('HEXISTS', KEYS[2], 'h') == 1 then digest, level = '~', 'none' end
local prev = redis.call('HGET', KEYS[1], 'dig') or '~'
local ack = tonumber(redis.call('HGET', KEYS[1], 'ack')) or 0
local acked = redis.call('HGET', KEYS[1], 'alvl') or 'none'
redis.call('HSET', KEYS[1], 'pub', seq, 'dig', digest, 'lvl', level)
if ARGV[4] == '1' or prev ~= digest or ack < pub then return { 2, acked, digest } end
redis.call('HSET', KEYS[1], 'ack', seq, 'alvl', level)
return { 1 }
