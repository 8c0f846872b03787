--[[
  Reads one street's dashboard figures in one step: the sizes of its open, state and overdue sets, its
  weekly and monthly counters, its daily level figures of a window (and the last one before it), and the
  duration histograms of the window (the totals minus their copy from the window's first counting day;
  lua/library.lua keeps them). Read only, one street: the copy's key is derived from KEYS[8] and shares
  its hash tag, so the script stays in one Redis Cluster slot.

  KEYS[1] open:watch  KEYS[2] open:warning  KEYS[3] open:action  KEYS[4] overdue
  KEYS[5] dash:opened KEYS[6] dash:outcomes KEYS[7] dash:levels  KEYS[8] dash:durations
  KEYS[9] dash:durations:days
  KEYS[10 ..]         the state zsets, in ALERT_STATES order (ioredis passes the key count first)

  ARGV[1] first day number of the window   ARGV[2] last day number (today)

  Returns {open watch, open warning, open action, overdue, {state sizes}, {opened hash flat},
           {outcomes hash flat}, {level members: the last before the window, if any, then the window's},
           {acknowledge bucket, count, …}, {close bucket, count, …}}
]]
local first, last = tonumber(ARGV[1]), tonumber(ARGV[2])

local sizes = {}
for i = 10, #KEYS do sizes[#sizes + 1] = redis.call('ZCARD', KEYS[i]) end

local levels = redis.call('ZREVRANGEBYSCORE', KEYS[7], '(' .. first, '-inf', 'LIMIT', 0, 1)
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[7], first, last)) do levels[#levels + 1] = member end

local window = { acknowledge = {}, close = {} }
local firstCounted = redis.call('ZRANGEBYSCORE', KEYS[9], first, '+inf', 'LIMIT', 0, 1)[1]
if firstCounted then
  local function add(fields, sign)
    for j = 1, #fields, 2 do
      local kind, bucket = string.match(fields[j], '^(%a+):(%d+)$')
      local into = window[kind]
      if into then into[bucket] = (into[bucket] or 0) + sign * tonumber(fields[j + 1]) end
    end
  end
  add(redis.call('HGETALL', KEYS[8]), 1)
  add(redis.call('HGETALL', KEYS[8] .. ':before:' .. firstCounted), -1)
end
local function flat(histogram)
  local out = {}
  for bucket, count in pairs(histogram) do
    if count > 0 then
      out[#out + 1] = tonumber(bucket)
      out[#out + 1] = count
    end
  end
  return out
end

return {
  redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]),
  redis.call('ZCARD', KEYS[4]), sizes, redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[6]), levels,
  flat(window.acknowledge), flat(window.close),
}
