--[[
  Applies one person's claims of a Kafka batch, in order, each exactly once. The dedup record and the totals
  change in this one script, so no delivery order, redelivery or crash can count a claim twice or half.

  KEYS[1]  person hash   "<YYYY-MM>:<i|o>" -> "<burdenFen>:<selfPayFen>", "h" -> householdId, "f" -> floor
  KEYS[2]  claims hash   claimId -> dedup record (ClaimRecord in @warnline/contracts, claim-record.ts):
           "<state><YYYY-MM><i|o><flags><efp><rfp><tag>[<burden>:<selfPay>]", 1+7+1+1+6+6+4 characters, then
           the settlement's burden and self-pay in base-36 fen while it counts

  ARGV[1]  floor: the oldest month the caller keeps (YYYY-MM). The person's floor only moves forward: when it
           does, buckets and dedup records of older months are dropped here.
  ARGV[2…] one per claim, in offset order, 9 fields separated by single spaces:
           claimId, kind ("s" settlement | "r" reversal), reversedClaimId ("" for a settlement), month
           (YYYY-MM of serviceDate), visit class ("i" | "o"), burden and self-pay (fen, base 36, >= 0),
           fingerprint (12 characters: efp = serviceDate, visitType, institution and amounts; rfp = the rest),
           institution tag (4 characters)

  A reversal cancels the settlement it names in full, in that settlement's month and visit class, whichever
  arrives first; its own amounts do not decide the netting. Second: it subtracts the burden and self-pay the
  settlement's record kept. First: it leaves a placeholder (P) under the settlement's id, and the settlement
  then counts nothing. A reversal whose efp differs from the settlement's still cancels it (flag 4, a warning).

  States: S settlement counted · X settlement cancelled · P placeholder for a settlement a reversal named ·
          R reversal in effect · N reversal without effect (original already cancelled) · M reversal without
          effect (it names a reversal)
  Flags (one digit, bits): 1 duplicate delivered · 2 conflicting delivery refused · 4 reversal differs from
          the settlement it cancels

  Exactness: Lua numbers are doubles, exact for integers up to 2^53 (about 9.007e15). The claim contract bounds
  every amount at 10^9 fen (10,000,000.00 yuan); burden and self-pay are parts of the total, so each argument is
  at most 10^9 and a bucket stays exact until one person's month and visit class holds some 9 million maximal
  claims. string.format('%d') prints such values exactly (64-bit integer).

  Returns  { householdId or nil, code per claim … }, codes:
            1  applied, totals changed               2  recorded, totals unchanged (reversal first, or netted)
            0  duplicate: same id, same content, nothing changed
           -1  conflict: same id, other content; first version kept
           -2  service month older than the person's floor: ignored
           -3  reversal names a reversal: no effect (repeated on redelivery)
           -4  original already cancelled by another reversal: no effect (repeated on redelivery)
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

-- Sets a flag bit on a record (written only when it was not set yet: a duplicate costs one write at most).
local function mark(id, rec, bit)
  local flags = tonumber(string.sub(rec, 10, 10))
  if flags % (bit * 2) < bit then
    redis.call('HSET', claims, id, string.sub(rec, 1, 9) .. (flags + bit) .. string.sub(rec, 11))
  end
end

local function settlement(id, month, class, burden, selfPay, fp, tag)
  local cur = redis.call('HGET', claims, id)
  if cur then
    local st = string.sub(cur, 1, 1)
    if st == 'P' then
      -- Its reversal came first: cancelled on arrival, never counted.
      local flags = string.sub(cur, 11, 16) == string.sub(fp, 1, 6) and '0' or '4'
      redis.call('HSET', claims, id, 'X' .. month .. class .. flags .. fp .. tag)
      return 2
    end
    if (st == 'S' or st == 'X') and string.sub(cur, 11, 22) == fp then
      mark(id, cur, 1)
      return 0
    end
    mark(id, cur, 2)
    return -1
  end
  add(month .. ':' .. class, tonumber(burden, 36), tonumber(selfPay, 36))
  redis.call('HSET', claims, id, 'S' .. month .. class .. '0' .. fp .. tag .. burden .. ':' .. selfPay)
  return 1
end

local function reversal(id, target, month, class, fp, tag)
  local cur = redis.call('HGET', claims, id)
  if cur then
    local st = string.sub(cur, 1, 1)
    if (st == 'R' or st == 'M' or st == 'N') and string.sub(cur, 11, 22) == fp then
      mark(id, cur, 1)
      if st == 'M' then return -3 end
      if st == 'N' then return -4 end
      return 0
    end
    -- "P": another reversal named this reversal as its original; that one simply never takes effect.
    if st ~= 'P' then
      mark(id, cur, 2)
      return -1
    end
  end
  local own = month .. class
  local tgt = redis.call('HGET', claims, target)
  if not tgt then
    redis.call('HSET', claims, target, 'P' .. own .. '0' .. string.sub(fp, 1, 6) .. '------' .. tag)
    redis.call('HSET', claims, id, 'R' .. own .. '0' .. fp .. tag)
    return 2
  end
  local ts = string.sub(tgt, 1, 1)
  if ts == 'S' then
    local kept = string.sub(tgt, 27)
    local colon = string.find(kept, ':', 1, true)
    add(string.sub(tgt, 2, 8) .. ':' .. string.sub(tgt, 9, 9),
      -tonumber(string.sub(kept, 1, colon - 1), 36), -tonumber(string.sub(kept, colon + 1), 36))
    local flags = tonumber(string.sub(tgt, 10, 10))
    local differs = string.sub(tgt, 11, 16) ~= string.sub(fp, 1, 6)
    if differs and flags % 8 < 4 then flags = flags + 4 end
    redis.call('HSET', claims, target, 'X' .. string.sub(tgt, 2, 9) .. flags .. string.sub(tgt, 11, 26))
    redis.call('HSET', claims, id, 'R' .. own .. (differs and '4' or '0') .. fp .. tag)
    return 1
  end
  if ts == 'X' or ts == 'P' then
    redis.call('HSET', claims, id, 'N' .. own .. '0' .. fp .. tag)
    return -4
  end
  redis.call('HSET', claims, id, 'M' .. own .. '0' .. fp .. tag)
  return -3
end

local out = { redis.call('HGET', person, 'h') }
for i = 2, #ARGV do
  local id, kind, target, month, class, burden, selfPay, fp, tag = string.match(ARGV[i],
    '^(%S+) ([sr]) (%S*) (%d%d%d%d%-%d%d) ([io]) ([0-9a-z]+) ([0-9a-z]+) (%S%S%S%S%S%S%S%S%S%S%S%S) (%S%S%S%S)$')
  local code
  if not id then
    return redis.error_reply('malformed claim argument ' .. (i - 1))
  elseif month < floor then
    code = -2
  elseif kind == 's' then
    code = settlement(id, month, class, burden, selfPay, fp, tag)
  else
    code = reversal(id, target, month, class, fp, tag)
  end
  out[#out + 1] = code
end
return out
