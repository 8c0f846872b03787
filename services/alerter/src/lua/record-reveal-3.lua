--[[
  A caseworker asked for the identity numbers behind an alert: the request (who, when, why) joins the
  alert's history and the street's outbox (for alerts.audit.v1) in one atomic step, before the identities
  are asked for. The alert's state does not change; the numbers themselves are never written here.

  KEYS[1]  alert  hash      KEYS[2]  history  list      KEYS[3]  outbox  list

  ARGV[1]  alertId   ARGV[2]  actor name   ARGV[3]  actor role   ARGV[4]  now ISO   ARGV[5]  purpose

  Returns (status names: RECORD_REVEAL in scripts.ts)
           {-2}              notFound: no such alert
           {1, eventJSON}    recorded
]]
local alertId = ARGV[1]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return { -2 } end

local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local json = cjson.encode({
  eventId = alertId .. '#' .. seq, alertId = alertId, seq = seq, at = ARGV[4],
  actor = { name = ARGV[2], role = ARGV[3] }, action = 'reveal-requested',
  from = state, to = state, level = redis.call('HGET', KEYS[1], 'level'), previousLevel = cjson.null,
  outcome = cjson.null, note = cjson.null, breach = cjson.null, jobId = cjson.null, purpose = ARGV[5],
  householdId = redis.call('HGET', KEYS[1], 'householdId'), streetCode = redis.call('HGET', KEYS[1], 'streetCode'),
  districtCode = redis.call('HGET', KEYS[1], 'districtCode'),
})
redis.call('RPUSH', KEYS[2], json)
redis.call('RPUSH', KEYS[3], json)
return { 1, json }
