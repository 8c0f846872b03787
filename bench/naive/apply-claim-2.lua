--[[
  The naive path's whole state change for one claim, one call per claim (bench/naive/consumer.ts): the same
  effect the accumulator has on a person's totals, without its batching.

  KEYS[1] person month buckets (hash): "<YYYY-MM>:<i|o>:b" and ":s" → net integer fen
  KEYS[2] person claim records (hash): claimId → fingerprint (dedup)
  ARGV[1] claimId
  ARGV[2] fingerprint of the claim's content
  ARGV[3] bucket field prefix "<YYYY-MM>:<i|o>"
  ARGV[4] signed burden, fen (negative for a reversal)
  ARGV[5] signed in-scope self-pay, fen

  Returns 1 applied, 0 the claimId was already recorded (a redelivery, or a conflict: first version kept).
]]
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[3] .. ':b', ARGV[4])
redis.call('HINCRBY', KEYS[1], ARGV[3] .. ':s', ARGV[5])
return 1
