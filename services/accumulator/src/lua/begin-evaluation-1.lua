--[[
  Starts one evaluation of a household: takes the next state sequence number and reads the registry record.
  Every change to a member is applied before its evaluation begins, and the members are read after this, so
  the evaluation with the highest sequence number has seen every change that began an evaluation before it.

  KEYS[1]  household hash (registry household) or solo status hash (household of one)

  Returns  { seq, record JSON or nil }
]]
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
return { seq, redis.call('HGET', KEYS[1], 'rec') }
