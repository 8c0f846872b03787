--[[
  Records that another alert took over from this one or came from it (a triage assignment or hand-over, a
  person's household-of-one alert folded into their registry household's): a `linked` event naming the other
  alert, once per pair. Idempotent: a second call for the same pair changes nothing.

  KEYS[1]  alert  hash    KEYS[2]  history  list    KEYS[3]  outbox  list

  ARGV[1]  alertId    ARGV[2]  the other alert's id    ARGV[3]  now ISO
  ARGV[4]  "assigned" when the other alert is where this triage alert went (kept as assignedAlertId), else ""

  Returns (status names: LINK in scripts.ts)
           {-2}             notFound: no such alert
           {0}              known: the pair was linked before
           {1, eventJSON}   linked
]]
local alertId, other = ARGV[1], ARGV[2]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return { -2 } end
if redis.call('HSETNX', KEYS[1], 'link:' .. other, ARGV[3]) == 0 then return { 0 } end

local linked = redis.call('HGET', KEYS[1], 'linkedAlertIds')
redis.call('HSET', KEYS[1], 'linkedAlertIds', linked and (linked .. ',' .. other) or other)
if ARGV[4] == 'assigned' then redis.call('HSET', KEYS[1], 'assignedAlertId', other) end

local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local json = cjson.encode({
  eventId = alertId .. '#' .. seq, alertId = alertId, seq = seq, at = ARGV[3],
  actor = { name = 'alerter', role = 'system' }, action = 'linked',
  from = state, to = state, level = redis.call('HGET', KEYS[1], 'level'), previousLevel = cjson.null,
  outcome = cjson.null, note = cjson.null, breach = cjson.null, jobId = cjson.null,
  householdId = redis.call('HGET', KEYS[1], 'householdId'), streetCode = redis.call('HGET', KEYS[1], 'streetCode'),
  districtCode = redis.call('HGET', KEYS[1], 'districtCode'), relatedAlertId = other, target = cjson.null,
})
redis.call('RPUSH', KEYS[2], json)
redis.call('RPUSH', KEYS[3], json)
return { 1, json }
