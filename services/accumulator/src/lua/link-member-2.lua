--[[
  Points a person at the registry household that lists them (a person belongs to one household at a time;
  the record processed last wins).

  KEYS[1]  person hash
  KEYS[2]  the person's household-of-one status hash
  ARGV[1]  householdId

  Returns  { householdId the person pointed at before or nil, 1 if a household-of-one status exists else 0 }
]]
local before = redis.call('HGET', KEYS[1], 'h')
if before ~= ARGV[1] then redis.call('HSET', KEYS[1], 'h', ARGV[1]) end
return { before, redis.call('EXISTS', KEYS[2]) }
