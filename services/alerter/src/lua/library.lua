--[[
  Shared functions, prepended to every alerter script when it is loaded (scripts.ts), so a script calls
  them by name. Nothing here runs on its own.

  The dashboard aggregates are kept here, in the same atomic step as the change to the alert, so the
  supervisor dashboard reads a few small keys per street instead of scanning alerts. Every aggregate key
  sits under the street's own hash tag (`<base>` = `<prefix>:alerter:{st:<street>}`), derived from the
  street's outbox key every script already holds, so a script still touches one Redis Cluster slot.

  <base>:dash:opened                 hash  <Monday YYYY-MM-DD> → alerts opened that week
  <base>:dash:outcomes               hash  <YYYY-MM>:<outcome> → alerts closed that month with that outcome
  <base>:dash:levels                 zset  score: day number (days since 1970-01-01); one member per day,
                                           `<YYYY-MM-DD>:<watch>:<warning>:<action>`: open alerts per level
                                           after the day's last change
  <base>:dash:acknowledge            hash  <bucket> → alerts ever acknowledged whose time since opening
                                           falls in the bucket
  <base>:dash:close                  hash  <bucket> → the same for closing
  <base>:dash:durations:days         zset  day numbers on which a duration was counted (score = member)
  <base>:dash:<kind>:before:<day>    hash  a copy of dash:<kind> as it was when that day began: taken at the
                                           day's first count, expires after DASH_DURATION_KEEP_SECONDS
  <base>:dash:version                string counter, raised by every step that changes a figure the
                                           dashboard reads of the street (aggregates, open, state and overdue
                                           sets): the alerter keeps a street's last read while it is unchanged

  The durations of a window of days ending today are dash:<kind> minus the copy taken on the window's
  first counting day, whatever the window's length: a read costs three keys per street (dashboard-read.lua).
  A duration of s seconds falls in bucket floor(ln(1 + s) / ln(DASH_BUCKET_GROWTH)): every bucket spans 5%,
  so a quantile read from the buckets is within 2.5% of the exact one (dashboard-figures.ts).
  Idempotent like the scripts that call it: a script returns before calling it when nothing changed.
]]
local DASH_LEVELS = { 'watch', 'warning', 'action' }
local DASH_BUCKET_GROWTH = 1.05
local DASH_DURATION_KEEP_SECONDS = 100 * 86400

--- `<base>` of a street from its outbox key (`<base>:outbox`).
local function dash_base(outboxKey)
  return string.sub(outboxKey, 1, #outboxKey - #':outbox')
end

--- Days since 1970-01-01 of a civil date (proleptic Gregorian).
local function dash_days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end

--- YYYY-MM-DD of a day number since 1970-01-01.
local function dash_civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02d', y, m, d)
end

--- Epoch milliseconds of an ISO instant in UTC (`YYYY-MM-DDTHH:MM:SS[.sss]Z`, as Date.toISOString writes).
local function dash_epoch_ms(iso)
  local y, mo, d, h, mi, s = string.match(iso, '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  local ms = tonumber(string.match(iso, '^[^.]*%.(%d%d%d)') or '0')
  local days = dash_days_from_civil(tonumber(y), tonumber(mo), tonumber(d))
  return ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60000 + tonumber(s) * 1000 + ms
end

--- Day number (days since 1970-01-01) of an ISO instant's UTC date.
local function dash_day_number(iso)
  return dash_days_from_civil(tonumber(string.sub(iso, 1, 4)), tonumber(string.sub(iso, 6, 7)),
    tonumber(string.sub(iso, 9, 10)))
end

--- Records the open alerts per level as the street's figure for the day of `nowIso` (replacing the day's
--- earlier one).
local function dash_snapshot_levels(base, nowIso)
  local member = string.sub(nowIso, 1, 10)
  for _, level in ipairs(DASH_LEVELS) do
    member = member .. ':' .. redis.call('ZCARD', base .. ':open:' .. level)
  end
  local key = base .. ':dash:levels'
  local day = dash_day_number(nowIso)
  redis.call('ZREMRANGEBYSCORE', key, day, day)
  redis.call('ZADD', key, day, member)
end

--- Counts a duration (opened → now) of `kind` (acknowledge | close); the day's first count keeps a copy of
--- both kinds' totals as they were before it.
local function dash_duration(base, kind, openedAtMs, nowIso)
  local seconds = math.max(0, (dash_epoch_ms(nowIso) - tonumber(openedAtMs)) / 1000)
  local bucket = math.floor(math.log(1 + seconds) / math.log(DASH_BUCKET_GROWTH))
  local days = base .. ':dash:durations:days'
  local day = dash_day_number(nowIso)
  if not redis.call('ZSCORE', days, day) then
    for _, each in ipairs({ 'acknowledge', 'close' }) do
      local totals = base .. ':dash:' .. each
      local before = totals .. ':before:' .. day
      if redis.call('COPY', totals, before, 'REPLACE') == 1 then
        redis.call('EXPIRE', before, DASH_DURATION_KEEP_SECONDS)
      end
    end
    redis.call('ZADD', days, day, day)
    redis.call('ZREMRANGEBYSCORE', days, '-inf', day - DASH_DURATION_KEEP_SECONDS / 86400)
  end
  redis.call('HINCRBY', base .. ':dash:' .. kind, bucket, 1)
end

--- Something the dashboard reads of the street changed: a reader's copy of its figures is out of date.
local function dashboard_changed(outboxKey)
  redis.call('INCR', dash_base(outboxKey) .. ':dash:version')
end

--- An alert was opened at `nowIso`: counted in its week, and the level figures of the day updated.
local function dashboard_opened(outboxKey, nowIso)
  local base = dash_base(outboxKey)
  dashboard_changed(outboxKey)
  local day = dash_day_number(nowIso)
  local monday = day - ((day + 3) % 7)
  redis.call('HINCRBY', base .. ':dash:opened', dash_civil_from_days(monday), 1)
  dash_snapshot_levels(base, nowIso)
end

--- An open alert changed level.
local function dashboard_level_changed(outboxKey, nowIso)
  dashboard_changed(outboxKey)
  dash_snapshot_levels(dash_base(outboxKey), nowIso)
end

--- A caseworker moved an alert to `to` at `nowIso`; `outcome` is the closing outcome (nil otherwise).
local function dashboard_transition(outboxKey, to, openedAtMs, nowIso, outcome)
  local base = dash_base(outboxKey)
  dashboard_changed(outboxKey)
  if to == 'acknowledged' then dash_duration(base, 'acknowledge', openedAtMs, nowIso) end
  if to == 'closed' then
    dash_duration(base, 'close', openedAtMs, nowIso)
    redis.call('HINCRBY', base .. ':dash:outcomes', string.sub(nowIso, 1, 7) .. ':' .. (outcome or 'none'), 1)
  end
  -- Closing and a triage desk's assignment both take the alert out of the open indices.
  if to == 'closed' or to == 'assigned' then dash_snapshot_levels(base, nowIso) end
end
