--[[
  A person left a registry household: drops their pointer, unless they already joined another household.

  KEYS[1]  person hash
  ARGV[1]  householdId they left

  Returns  2 unlinked and the person has month buckets (a household of one now, to evaluate),
           1 unlinked, no buckets, 0 the pointer was elsewhere or absent
]]
if redis.call('HGET', KEYS[1], 'h') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'h')
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(f, 8, 8) == ':' then return 2 end
end
return 1
