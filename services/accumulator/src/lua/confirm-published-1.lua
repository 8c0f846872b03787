--[[
  Marks a published decision as on household-status.v1, if no newer decision was recorded meanwhile.

  KEYS[1]  household hash or solo status hash
  ARGV[1]  seq of the decision that was published

  Returns  1 confirmed; 0 a newer decision was recorded after ours: our message may have landed after its one,
           so the caller evaluates again and publishes even an unchanged decision (record-decision ARGV[4])
]]
if tonumber(redis.call('HGET', KEYS[1], 'pub')) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'ack', ARGV[1], 'alvl', redis.call('HGET', KEYS[1], 'lvl'))
return 1
