-- Spec helper: recorded Label Studio Enterprise responses served on
-- 127.0.0.1 by recorded.py (DESIGN.md decision 5's narrow exception:
-- only for paths that the open-source server cannot be made to take).
--   local rec = recorded.start{["GET /api/version"] = {{status = 200,
--                                body = {...}}}}
--   rec.url, rec:requests(), rec:stop()

local cjson = require "cjson"
local pyserver = require "pyserver"

local M = {}
local Recorded = {}
Recorded.__index = Recorded


--- Starts the server with a script: "METHOD /path" -> responses.
function M.start(script)
  local script_file, log_file = os.tmpname(), os.tmpname()
  local f = assert(io.open(script_file, "w"))
  f:write(cjson.encode(script))
  f:close()
  local proc = pyserver.start("recorded.py", script_file, log_file)
  return setmetatable({proc = proc, script = script_file, log = log_file,
                       url = proc.url}, Recorded)
end


--- The requests served so far, each {method, path, query, body}.
function Recorded:requests()
  local out = {}
  for line in io.lines(self.log) do out[#out + 1] = cjson.decode(line) end
  return out
end


function Recorded:stop()
  self.proc:stop()
  os.remove(self.script)
  os.remove(self.log)
end

return M
