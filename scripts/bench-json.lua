-- Times decode and encode of a JSON file inside lsrun, best of `runs`.
-- usage: lsrun scripts/bench-json.lua FILE RUNS
-- Prints "<codec> <decode s> <encode s>" lines for labelstudio.json
-- and lua-cjson, and writes our sorted compact encoding of the file to
-- FILE.sorted for scripts/bench-json to compare with Python's.
local sys = require("lsrun.sys")
local json = require("labelstudio.json")
local cjson = require("cjson")

local path, runs = arg[1], tonumber(arg[2]) or 3
local f = assert(io.open(path, "rb"))
local text = f:read("a")
f:close()

local function best(fn, ...)
  local t = math.huge
  local out
  for _ = 1, runs do
    collectgarbage()
    local t0 = sys.now()
    out = fn(...)
    t = math.min(t, sys.now() - t0)
  end
  return t, out
end

local function time(name, codec)
  local dec, value = best(codec.decode, text)
  local enc = best(codec.encode, value)
  print(("%s %.6f %.6f"):format(name, dec, enc))
  return value
end

local ours = time("ours", json)
time("cjson", cjson)
local sorted = json.encode(ours, {sort_keys = true})
local out = assert(io.open(path .. ".sorted", "wb"))
out:write(sorted)
out:close()
