-- Spec helper: recorded Label Studio Enterprise responses served on
-- 127.0.0.1 by recorded.py (DESIGN.md decision 5's narrow exception:
-- only for paths that the open-source server cannot be made to take).
--   local rec = recorded.start{["GET /api/version"] = {{status = 200,
--                                body = {...}}}}
--   rec.url, rec:requests(), rec:stop()

local cjson = require "cjson"

local M = {}
local Recorded = {}
Recorded.__index = Recorded

local DIR = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."


--- Starts the server with a script: "METHOD /path" -> responses.
function M.start(script)
  local script_file, log_file = os.tmpname(), os.tmpname()
  local f = assert(io.open(script_file, "w"))
  f:write(cjson.encode(script))
  f:close()
  local h = assert(io.popen(("exec python3 %s/recorded.py %s %s"
    .. " 2>/dev/null"):format(DIR, script_file, log_file), "r"))
  local port, pid = (h:read("l") or ""):match("^READY (%d+) (%d+)")
  assert(port, "the recorded-response server did not start")
  return setmetatable({handle = h, pid = pid, script = script_file,
                       log = log_file, url = "http://127.0.0.1:" .. port},
                      Recorded)
end


--- The requests served so far, each {method, path, query, body}.
function Recorded:requests()
  local out = {}
  for line in io.lines(self.log) do out[#out + 1] = cjson.decode(line) end
  return out
end


function Recorded:stop()
  os.execute("kill " .. self.pid)
  self.handle:close()
  os.remove(self.script)
  os.remove(self.log)
end

return M
