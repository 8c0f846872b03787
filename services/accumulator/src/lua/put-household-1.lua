--[[
  Stores a household record unless a record with a higher version is already held.

  KEYS[1]  household record key (string: JSON)
  ARGV[1]  version (integer)
  ARGV[2]  record JSON

  Returns  JSON of the record it replaced ("" when there was none) when stored; false (nil) when the held
           version is higher or equal, i.e. the record is stale or a redelivery.
]]
local held = redis.call('GET', KEYS[1])
if held then
  local heldVersion = tonumber(cjson.decode(held).version)
  if heldVersion >= tonumber(ARGV[1]) then return false end
end
redis.call('SET', KEYS[1], ARGV[2])
return held or ''
