--[[
  Records one street-queue (or triage-queue) job: opens an alert for the household (in state ARGV[13]), or
  folds the job into the household's open alert (raising its level when the job's level is higher). Idempotent per job id: a redelivered job
  changes nothing. Appends the event to the alert's history and to the street's outbox in the same step.

  KEYS[1]  jobs      hash   jobId → alertId (every job ever recorded)
  KEYS[2]  open      hash   householdId → alertId of the open alert
  KEYS[3]  alert     hash   the alert record of ARGV[3]
  KEYS[4]  history   list   the alert's events
  KEYS[5]  outbox    list   events whose side effects may be pending
  KEYS[6]  state:<ARGV[13]> zset (state:new of a street, state:triage of a triage desk)
  KEYS[7]  open:watch, KEYS[8] open:warning, KEYS[9] open:action   zsets of open alerts by level

  ARGV[1]  jobId           ARGV[2]  householdId
  ARGV[3]  alertId         (the open alert the caller saw, or a fresh id when it saw none)
  ARGV[4]  "existing" | "new": what the caller saw in KEYS[2]
  ARGV[5]  level (watch | warning | action)
  ARGV[6]  job data JSON   ARGV[7]  now ISO         ARGV[8]  now epoch ms
  ARGV[9]  streetCode      ARGV[10] districtCode
  ARGV[11] acknowledge due ISO                      ARGV[12] close due ISO   ("" on a triage desk)
  ARGV[13] the state a new alert starts in (new | triage)
  ARGV[14] assign due ISO                           ("" on a street)

  Returns (status names: INGEST_JOB in scripts.ts)
           {0, alertId}             duplicate: the job was recorded before (redelivery): nothing changed
           {-1}                     stale: KEYS[2] changed since the caller read it: read again and retry
           {1, alertId, eventJSON}  opened: a new alert
           {2, alertId, eventJSON}  levelRaised: raised the open alert's level
           {3, alertId, eventJSON}  reRaised: the open alert absorbed a job of the same or a lower level
]]
local jobId, household, alertId, seen, level = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local rank = { watch = 1, warning = 2, action = 3 }
local levelKey = { watch = KEYS[7], warning = KEYS[8], action = KEYS[9] }

local recorded = redis.call('HGET', KEYS[1], jobId)
if recorded then return { 0, recorded } end

local current = redis.call('HGET', KEYS[2], household)
if (seen == 'new' and current) or (seen == 'existing' and current ~= alertId) then return { -1 } end

local function event(action, from, to, newLevel, previousLevel)
  local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
  local street = redis.call('HGET', KEYS[3], 'streetCode')
  local district = redis.call('HGET', KEYS[3], 'districtCode')
  local json = cjson.encode({
    eventId = alertId .. '#' .. seq, alertId = alertId, seq = seq, at = ARGV[7],
    actor = { name = 'alerter', role = 'system' }, action = action,
    from = from or cjson.null, to = to, level = newLevel, previousLevel = previousLevel or cjson.null,
    outcome = cjson.null, note = cjson.null, breach = cjson.null, jobId = jobId,
    householdId = household, streetCode = street, districtCode = district,
  })
  redis.call('RPUSH', KEYS[4], json)
  redis.call('RPUSH', KEYS[5], json)
  return json
end

redis.call('HSET', KEYS[1], jobId, alertId)

if seen == 'new' then
  local openedMs = tonumber(ARGV[8])
  local initial = ARGV[13]
  redis.call('HSET', KEYS[3],
    'alertId', alertId, 'householdId', household, 'streetCode', ARGV[9], 'districtCode', ARGV[10],
    'state', initial, 'level', level, 'data', ARGV[6], 'jobs', 1, 'openedAt', ARGV[7], 'openedAtMs', ARGV[8])
  for field, due in pairs({ acknowledgeDueAt = ARGV[11], closeDueAt = ARGV[12], assignDueAt = ARGV[14] }) do
    if due ~= '' then redis.call('HSET', KEYS[3], field, due) end
  end
  redis.call('HSET', KEYS[2], household, alertId)
  redis.call('ZADD', KEYS[6], openedMs, alertId)
  redis.call('ZADD', levelKey[level], openedMs, alertId)
  dashboard_opened(KEYS[5], ARGV[7])
  return { 1, alertId, event('opened', nil, initial, level, nil) }
end

local state = redis.call('HGET', KEYS[3], 'state')
local held = redis.call('HGET', KEYS[3], 'level')
redis.call('HINCRBY', KEYS[3], 'jobs', 1)
if rank[level] > rank[held] then
  local openedMs = redis.call('HGET', KEYS[3], 'openedAtMs')
  redis.call('HSET', KEYS[3], 'level', level, 'data', ARGV[6])
  redis.call('ZREM', levelKey[held], alertId)
  redis.call('ZADD', levelKey[level], openedMs, alertId)
  dashboard_level_changed(KEYS[5], ARGV[7])
  return { 2, alertId, event('level-raised', state, state, level, held) }
end
return { 3, alertId, event('re-raised', state, state, held, nil) }
