--[[
  Month roll-over for one person: drops buckets and dedup records of months below the floor, and the person's
  keys when nothing is left.

  KEYS[1]  person hash
  KEYS[2]  claims hash
  ARGV[1]  floor (YYYY-MM): the oldest month kept

  Returns  { householdId or nil, buckets left }
]]
local floor = ARGV[1]
local held = redis.call('HGET', KEYS[1], 'f')
if held and held > floor then floor = held end
local left = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local f = fields[i]
  if string.sub(f, 8, 8) == ':' then
    if string.sub(f, 1, 7) < floor then redis.call('HDEL', KEYS[1], f) else left = left + 1 end
  end
end
local seen = redis.call('HGETALL', KEYS[2])
for i = 1, #seen, 2 do
  if string.sub(seen[i + 1], 2, 8) < floor then redis.call('HDEL', KEYS[2], seen[i]) end
end
local h = redis.call('HGET', KEYS[1], 'h')
if left == 0 and redis.call('HLEN', KEYS[2]) == 0 and not h then
  redis.call('DEL', KEYS[1])
  return { false, 0 }
end
if #fields > 0 then redis.call('HSET', KEYS[1], 'f', floor) end
return { h, left }
