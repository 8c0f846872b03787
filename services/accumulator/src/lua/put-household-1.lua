--[[
  Stores a registry household record unless the household already holds a higher version.

  KEYS[1]  household hash ("rec" record JSON, "ver" version, "prev" JSON array of the replaced record's members)
  ARGV[1]  version (integer)
  ARGV[2]  record JSON (households.v1)
  ARGV[3]  JSON array of the record's member pseudonyms

  Returns  { 1, prev } stored; prev = JSON array of the members of the record it replaced ("[]" when none)
           { 2, prev } the same version is held (a redelivery, or a replay after a crash): nothing stored, but
                       the caller redoes the member links, which are idempotent
           { 0 }       a higher version is held: the record is stale and ignored
]]
local held = tonumber(redis.call('HGET', KEYS[1], 'ver'))
local version = tonumber(ARGV[1])
if held and held > version then return { 0 } end
if held and held == version then return { 2, redis.call('HGET', KEYS[1], 'prev') or '[]' } end
local prev = '[]'
local rec = redis.call('HGET', KEYS[1], 'rec')
if rec then prev = redis.call('HGET', KEYS[1], 'mem') or '[]' end
redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'ver', ARGV[1], 'prev', prev, 'mem', ARGV[3])
return { 1, prev }
