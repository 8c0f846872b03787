--[[
  Applies one claim to one person's month buckets, exactly once.

  KEYS[1]  person seen hash    (claimId -> fingerprint)
  KEYS[2]  person months hash  ("<YYYY-MM>:<i|o>:<b|s>" -> integer fen)

  ARGV[1]  claimId
  ARGV[2]  fingerprint of the claim's content
  ARGV[3]  bucket field prefix "<YYYY-MM>:<i|o>"
  ARGV[4]  personal burden, signed integer fen (negative for a reversal)
  ARGV[5]  in-scope self-pay, signed integer fen

  Returns  1  applied
           0  already applied with the same content (redelivery): nothing changed
          -1  already applied with different content (conflict): nothing changed, first version kept

  The idempotency check and the increments are one script, so no delivery order or crash can count a
  claim twice or half.
]]
local seen = redis.call('HGET', KEYS[1], ARGV[1])
if seen then
  if seen == ARGV[2] then return 0 end
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':b', ARGV[4])
redis.call('HINCRBY', KEYS[2], ARGV[3] .. ':s', ARGV[5])
return 1
