--[[
  Reads one street's dashboard figures in one step: the sizes of its open, state and overdue sets, its
  weekly and monthly counters, its daily level figures of a window (and the last one before it), and the
  duration histograms of the window (the totals minus their copy from the window's first counting day;
  lua/library.lua keeps them). Read only, one street: the copies' keys are derived from KEYS[8] and KEYS[9]
  and share their hash tag, so the script stays in one Redis Cluster slot.

  KEYS[1] open:watch  KEYS[2] open:warning  KEYS[3] open:action  KEYS[4] overdue
  KEYS[5] dash:opened KEYS[6] dash:outcomes KEYS[7] dash:levels  KEYS[8] dash:acknowledge
  KEYS[9] dash:close  KEYS[10] dash:durations:days  KEYS[11] dash:version
  KEYS[12 ..]         the state zsets, in ALERT_STATES order (ioredis passes the key count first)

  ARGV[1] first day number of the window   ARGV[2] last day number (today)

  Returns {open watch, open warning, open action, overdue, {state sizes}, opened, outcomes, levels,
           acknowledge, close, version}. opened … close are each one string of comma-separated entries (a
           city reads every street in one pipeline: a few strings per street instead of hundreds of reply
           elements): opened `<Monday>=<n>`, outcomes `<YYYY-MM>:<outcome>=<n>`, levels the members (the last
           before the window, if any, then the window's), acknowledge and close `<bucket>=<n>`. version is
           dash:version ('0' before the first change): the reader keeps the street's figures under it.
]]
local first, last = tonumber(ARGV[1]), tonumber(ARGV[2])

local sizes = {}
for i = 12, #KEYS do sizes[#sizes + 1] = redis.call('ZCARD', KEYS[i]) end

local levels = redis.call('ZREVRANGEBYSCORE', KEYS[7], '(' .. first, '-inf', 'LIMIT', 0, 1)
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[7], first, last)) do levels[#levels + 1] = member end

local firstCounted = redis.call('ZRANGEBYSCORE', KEYS[10], first, '+inf', 'LIMIT', 0, 1)[1]
--- `key=value,…` of a flat HGETALL reply.
local function joined(flat)
  local out = {}
  for j = 1, #flat, 2 do out[#out + 1] = flat[j] .. '=' .. flat[j + 1] end
  return table.concat(out, ',')
end

--- `bucket=count,…` of a kind's durations within the window: its totals minus the copy from the window's
--- first counting day (empty: nothing was counted within the window).
local function window(totalsKey)
  local out = {}
  if not firstCounted then return '' end
  local earlier = {}
  local before = redis.call('HGETALL', totalsKey .. ':before:' .. firstCounted)
  for j = 1, #before, 2 do earlier[before[j]] = tonumber(before[j + 1]) end
  local totals = redis.call('HGETALL', totalsKey)
  for j = 1, #totals, 2 do
    local n = tonumber(totals[j + 1]) - (earlier[totals[j]] or 0)
    if n > 0 then out[#out + 1] = totals[j] .. '=' .. n end
  end
  return table.concat(out, ',')
end

return {
  redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]),
  redis.call('ZCARD', KEYS[4]), sizes, joined(redis.call('HGETALL', KEYS[5])),
  joined(redis.call('HGETALL', KEYS[6])), table.concat(levels, ','), window(KEYS[8]), window(KEYS[9]),
  redis.call('GET', KEYS[11]) or '0',
}
