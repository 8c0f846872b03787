--[[
  Applies one person's claims of a Kafka batch, in order, each exactly once. The dedup record and the totals
  change in this one script, so no delivery order, redelivery or crash can count a claim twice or half.

  KEYS[1]  person hash   "<YYYY-MM>:<i|o>" -> "<burdenFen>:<selfPayFen>", "h" -> householdId, "f" -> floor
  KEYS[2]  claims hash   claimId -> "<state><YYYY-MM><efp><rfp>" (1 + 7 + 6 + 6 characters)

  ARGV[1]  floor: the oldest month the caller keeps (YYYY-MM). The person's floor only moves forward: when it
           does, buckets and dedup records of older months are dropped here.
  ARGV[2…] one per claim, in offset order, 8 fields separated by single spaces:
           claimId, kind ("s" settlement | "r" reversal), reversedClaimId ("" for a settlement), month
           (YYYY-MM of serviceDate), visit class ("i" | "o"), burden fen (>= 0), self-pay fen (>= 0),
           fingerprint (12 characters: efp = serviceDate, visitType, institution and amounts; rfp = the rest)

  Exactness: Lua numbers are doubles, exact for integers up to 2^53 (about 9.007e15). The claim contract bounds
  every amount at 10^9 fen (10,000,000.00 yuan); burden and self-pay are parts of the total, so each argument is
  at most 10^9 and a bucket stays exact until one person's month and visit class holds some 9 million maximal
  claims. string.format('%d') prints such values exactly (64-bit integer).

  States of a dedup record:
    S  settlement counted              T  settlement counted; an earlier reversal naming it did not match
    X  settlement counted and reversed (net zero)
    P  not seen yet, a reversal named it (efp of that reversal, rfp "------")
    R  reversal that took effect (or waits for its original)
    M  reversal without effect: it does not repeat its original (or names a reversal)
    N  reversal without effect: its original was already reversed

  Returns  { householdId or nil, code per claim … }, codes:
            1  applied, totals changed               2  recorded, totals unchanged (reversal first, or netted)
            3  applied; a pending reversal did not match (notice, repeated on redelivery)
            0  duplicate: same id, same content, nothing changed
           -1  conflict: same id, other content; first version kept
           -2  service month older than the person's floor: ignored
           -3  reversal mismatch: no effect (repeated on redelivery)
           -4  original already reversed by another reversal: no effect (repeated on redelivery)
]]
local person, claims = KEYS[1], KEYS[2]

local floor = ARGV[1]
local held = redis.call('HGET', person, 'f')
if held and held > floor then floor = held end
if held ~= floor then
  if held then
    -- The floor moved: drop months (and dedup records) that left the retention. Once a month is below the
    -- floor no claim of it is accepted again, so dropping its dedup records can never count a claim twice.
    local fields = redis.call('HGETALL', person)
    for i = 1, #fields, 2 do
      local f = fields[i]
      if string.sub(f, 8, 8) == ':' and string.sub(f, 1, 7) < floor then redis.call('HDEL', person, f) end
    end
    local seen = redis.call('HGETALL', claims)
    for i = 1, #seen, 2 do
      if string.sub(seen[i + 1], 2, 8) < floor then redis.call('HDEL', claims, seen[i]) end
    end
  end
  redis.call('HSET', person, 'f', floor)
end

local function add(field, burden, selfPay)
  local v = redis.call('HGET', person, field)
  local b, s = 0, 0
  if v then
    local colon = string.find(v, ':', 1, true)
    b = tonumber(string.sub(v, 1, colon - 1))
    s = tonumber(string.sub(v, colon + 1))
  end
  b = b + burden
  s = s + selfPay
  if b == 0 and s == 0 then
    redis.call('HDEL', person, field)
  else
    redis.call('HSET', person, field, string.format('%d:%d', b, s))
  end
end

local function settlement(id, month, field, burden, selfPay, fp)
  local cur = redis.call('HGET', claims, id)
  if cur then
    local st = string.sub(cur, 1, 1)
    if st == 'P' then
      if string.sub(cur, 9, 14) == string.sub(fp, 1, 6) then
        redis.call('HSET', claims, id, 'X' .. month .. fp)
        return 2
      end
      add(field, burden, selfPay)
      redis.call('HSET', claims, id, 'T' .. month .. fp)
      return 3
    end
    if (st == 'S' or st == 'T' or st == 'X') and string.sub(cur, 9) == fp then
      if st == 'T' then return 3 end
      return 0
    end
    return -1
  end
  add(field, burden, selfPay)
  redis.call('HSET', claims, id, 'S' .. month .. fp)
  return 1
end

local function reversal(id, target, month, field, burden, selfPay, fp)
  local cur = redis.call('HGET', claims, id)
  if cur then
    local st = string.sub(cur, 1, 1)
    if (st == 'R' or st == 'M' or st == 'N') and string.sub(cur, 9) == fp then
      if st == 'M' then return -3 end
      if st == 'N' then return -4 end
      return 0
    end
    -- "P": another reversal named this reversal as its original; that one simply never takes effect.
    if st ~= 'P' then return -1 end
  end
  local tgt = redis.call('HGET', claims, target)
  if not tgt then
    redis.call('HSET', claims, target, 'P' .. month .. string.sub(fp, 1, 6) .. '------')
    redis.call('HSET', claims, id, 'R' .. month .. fp)
    return 2
  end
  local ts = string.sub(tgt, 1, 1)
  if ts == 'S' or ts == 'T' then
    if string.sub(tgt, 9, 14) == string.sub(fp, 1, 6) then
      -- Same date, visit type, institution and amounts as the original: subtracting them nets it to zero.
      add(field, -burden, -selfPay)
      redis.call('HSET', claims, target, 'X' .. string.sub(tgt, 2))
      redis.call('HSET', claims, id, 'R' .. month .. fp)
      return 1
    end
    redis.call('HSET', claims, id, 'M' .. month .. fp)
    return -3
  end
  if ts == 'X' or ts == 'P' then
    redis.call('HSET', claims, id, 'N' .. month .. fp)
    return -4
  end
  redis.call('HSET', claims, id, 'M' .. month .. fp)
  return -3
end

local out = { redis.call('HGET', person, 'h') }
for i = 2, #ARGV do
  local id, kind, target, month, class, burden, selfPay, fp =
    string.match(ARGV[i], '^(%S+) ([sr]) (%S*) (%d%d%d%d%-%d%d) ([io]) (%d+) (%d+) (%S+)$')
  burden, selfPay = tonumber(burden), tonumber(selfPay)
  local code
  if not id then
    return redis.error_reply('malformed claim argument ' .. (i - 1))
  elseif month < floor then
    code = -2
  elseif kind == 's' then
    code = settlement(id, month, month .. ':' .. class, burden, selfPay, fp)
  else
    code = reversal(id, target, month, month .. ':' .. class, burden, selfPay, fp)
  end
  out[#out + 1] = code
end
return out
