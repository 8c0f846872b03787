--[[
  A time limit fired: marks the alert overdue for that limit when it is still breached (acknowledge: the
  alert is still new; close: it is not closed; assign: a triage alert is still in triage) and was not marked before. Idempotent: a timer that fires
  twice, or after the caseworker acted, changes nothing.

  KEYS[1]  alert  hash    KEYS[2]  history  list    KEYS[3]  outbox  list    KEYS[4]  overdue  zset

  ARGV[1]  alertId    ARGV[2]  breach (acknowledge | close | assign)    ARGV[3]  now ISO

  Returns (status names: BREACH in scripts.ts)
           {-2}             notFound: no such alert
           {0}              inTime: not breached (the caseworker was in time) or already marked
           {1, eventJSON}   overdue: marked overdue; the event's side effect escalates (street alerts to the
                            district, triage alerts to the city)
]]
local alertId, breach = ARGV[1], ARGV[2]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return { -2 } end
if breach == 'acknowledge' and state ~= 'new' then return { 0 } end
if breach == 'assign' and state ~= 'triage' then return { 0 } end
if state == 'closed' then return { 0 } end
local fields = { acknowledge = 'overdueAcknowledgeAt', close = 'overdueCloseAt', assign = 'overdueAssignAt' }
local field = fields[breach]
if redis.call('HEXISTS', KEYS[1], field) == 1 then return { 0 } end

redis.call('HSET', KEYS[1], field, ARGV[3], 'overdue', 1)
redis.call('ZADD', KEYS[4], redis.call('HGET', KEYS[1], 'openedAtMs'), alertId)
dashboard_changed(KEYS[3])

local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local json = cjson.encode({
  eventId = alertId .. '#' .. seq, alertId = alertId, seq = seq, at = ARGV[3],
  actor = { name = 'alerter', role = 'system' }, action = 'overdue',
  from = state, to = state, level = redis.call('HGET', KEYS[1], 'level'), previousLevel = cjson.null,
  outcome = cjson.null, note = cjson.null, breach = breach, jobId = cjson.null,
  householdId = redis.call('HGET', KEYS[1], 'householdId'), streetCode = redis.call('HGET', KEYS[1], 'streetCode'),
  districtCode = redis.call('HGET', KEYS[1], 'districtCode'),
})
redis.call('RPUSH', KEYS[2], json)
redis.call('RPUSH', KEYS[3], json)
return { 1, json }
