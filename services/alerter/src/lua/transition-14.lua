--[[
  A person's transition of one alert (street: new → acknowledged → investigating → closed; triage:
  triage → assigned | closed), or the system's close of an alert whose case another alert took over. The
  caller names the only state the transition may start from; the check and the change are one atomic step,
  so two caseworkers racing cannot both succeed. Closing and assigning end the alert: it leaves the open
  indices.

  KEYS[1]  alert     hash      KEYS[2]  history  list    KEYS[3]  outbox  list
  KEYS[4]  open      hash householdId → alertId          KEYS[5]  overdue zset
  KEYS[6]  state:new, KEYS[7] state:acknowledged, KEYS[8] state:investigating, KEYS[9] state:closed,
  KEYS[10] state:triage, KEYS[11] state:assigned                                                       zsets
  KEYS[12] open:watch, KEYS[13] open:warning, KEYS[14] open:action                                     zsets

  ARGV[1]  alertId        ARGV[2]  required current state   ARGV[3]  new state
  ARGV[4]  action name of the event (acknowledged | investigating | closed | assigned)
  ARGV[5]  outcome ("" for none)   ARGV[6]  note ("" for none)
  ARGV[7]  actor name     ARGV[8]  actor role               ARGV[9]  now ISO
  ARGV[10] target ("" for none): the street assigned to, the district handed over to, `<street>/<household>` linked to

  Returns (status names: TRANSITION in scripts.ts)
           {-2}                         notFound: no such alert
           {-1, state}                  wrongState: the alert is in `state`, not in ARGV[2]: nothing changed
           {1, eventJSON, openedAtMs}   done
]]
local alertId, from, to = ARGV[1], ARGV[2], ARGV[3]
local stateKey = {
  new = KEYS[6], acknowledged = KEYS[7], investigating = KEYS[8], closed = KEYS[9], triage = KEYS[10],
  assigned = KEYS[11],
}
local levelKey = { watch = KEYS[12], warning = KEYS[13], action = KEYS[14] }

local current = redis.call('HGET', KEYS[1], 'state')
if not current then return { -2 } end
if current ~= from then return { -1, current } end

local openedMs = redis.call('HGET', KEYS[1], 'openedAtMs')
local level = redis.call('HGET', KEYS[1], 'level')
local household = redis.call('HGET', KEYS[1], 'householdId')
local outcome = ARGV[5] ~= '' and ARGV[5] or nil
local note = ARGV[6] ~= '' and ARGV[6] or nil
local target = ARGV[10] ~= '' and ARGV[10] or nil

redis.call('HSET', KEYS[1], 'state', to, to .. 'At', ARGV[9])
if outcome then redis.call('HSET', KEYS[1], 'outcome', outcome) end
if note then redis.call('HSET', KEYS[1], 'note', note) end
if target then redis.call('HSET', KEYS[1], 'target', target) end
redis.call('ZREM', stateKey[from], alertId)
redis.call('ZADD', stateKey[to], openedMs, alertId)
if to == 'closed' or to == 'assigned' then
  if redis.call('HGET', KEYS[4], household) == alertId then redis.call('HDEL', KEYS[4], household) end
  redis.call('ZREM', levelKey[level], alertId)
  redis.call('ZREM', KEYS[5], alertId)
end
dashboard_transition(KEYS[3], to, openedMs, ARGV[9], outcome)

local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local json = cjson.encode({
  eventId = alertId .. '#' .. seq, alertId = alertId, seq = seq, at = ARGV[9],
  actor = { name = ARGV[7], role = ARGV[8] }, action = ARGV[4],
  from = from, to = to, level = level, previousLevel = cjson.null,
  outcome = outcome or cjson.null, note = note or cjson.null, breach = cjson.null, jobId = cjson.null,
  householdId = household, streetCode = redis.call('HGET', KEYS[1], 'streetCode'),
  districtCode = redis.call('HGET', KEYS[1], 'districtCode'), target = target or cjson.null,
})
redis.call('RPUSH', KEYS[2], json)
redis.call('RPUSH', KEYS[3], json)
return { 1, json, openedMs }
