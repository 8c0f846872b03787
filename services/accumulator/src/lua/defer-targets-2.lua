--[[
  Records households for a later evaluation, but only while evaluation is deferred (a go-live load runs).
  Checking the flag and adding in one script means a batch either lands in the set before the go-live clears
  the flag (and the go-live evaluates it) or sees the flag gone and is evaluated at once: never neither.

  KEYS[1]  the deferral flag (a string; present = deferred)
  KEYS[2]  the set of deferred targets
  ARGV     targets: "h:<householdId>" or "s:<person pseudonym>"

  Returns  1 recorded (deferred); 0 not deferred: the caller evaluates now
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 1000 do
  redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return 1
