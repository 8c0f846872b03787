--[[
  A caseworker's transition of one alert (new → acknowledged → investigating → closed). The caller names
  the only state the transition may start from; the check and the change are one atomic step, so two
  caseworkers racing cannot both succeed.

  KEYS[1]  alert     hash      KEYS[2]  history  list    KEYS[3]  outbox  list
  KEYS[4]  open      hash householdId → alertId          KEYS[5]  overdue zset
  KEYS[6]  state:new, KEYS[7] state:acknowledged, KEYS[8] state:investigating, KEYS[9] state:closed   zsets
  KEYS[10] open:watch, KEYS[11] open:warning, KEYS[12] open:action                                     zsets

  ARGV[1]  alertId        ARGV[2]  required current state   ARGV[3]  new state
  ARGV[4]  action name of the event (acknowledged | investigating | closed)
  ARGV[5]  outcome ("" for none)   ARGV[6]  note ("" for none)
  ARGV[7]  actor name     ARGV[8]  actor role               ARGV[9]  now ISO

  Returns (status names: TRANSITION in scripts.ts)
           {-2}                         notFound: no such alert
           {-1, state}                  wrongState: the alert is in `state`, not in ARGV[2]: nothing changed
           {1, eventJSON, openedAtMs}   done
]]
local alertId, from, to = ARGV[1], ARGV[2], ARGV[3]
local stateKey = { new = KEYS[6], acknowledged = KEYS[7], investigating = KEYS[8], closed = KEYS[9] }
local levelKey = { watch = KEYS[10], warning = KEYS[11], action = KEYS[12] }

local current = redis.call('HGET', KEYS[1], 'state')
if not current then return { -2 } end
if current ~= from then return { -1, current } end

local openedMs = redis.call('HGET', KEYS[1], 'openedAtMs')
local level = redis.call('HGET', KEYS[1], 'level')
local household = redis.call('HGET', KEYS[1], 'householdId')
local outcome = ARGV[5] ~= '' and ARGV[5] or nil
local note = ARGV[6] ~= '' and ARGV[6] or nil

redis.call('HSET', KEYS[1], 'state', to, to .. 'At', ARGV[9])
if outcome then redis.call('HSET', KEYS[1], 'outcome', outcome) end
if note then redis.call('HSET', KEYS[1], 'note', note) end
redis.call('ZREM', stateKey[from], alertId)
redis.call('ZADD', stateKey[to], openedMs, alertId)
if to == 'closed' then
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
  districtCode = redis.call('HGET', KEYS[1], 'districtCode'),
})
redis.call('RPUSH', KEYS[2], json)
redis.call('RPUSH', KEYS[3], json)
return { 1, json, openedMs }
