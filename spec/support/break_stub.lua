-- Spec helper: starts break_stub.py, a loopback server that answers
-- shapes the real Label Studio will not produce (an HTML 500, a JSON
-- body cut short, a 204 where JSON is expected ...).
--   local stub = require("break_stub").start()
--   stub:url("html500"), stub:stop()

local M = {}
local Stub = {}
Stub.__index = Stub

local DIR = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."


--- Starts the stub; returns it once it listens.
function M.start()
  local h = assert(io.popen("exec python3 " .. DIR
                            .. "/break_stub.py 2>/dev/null", "r"))
  local port, pid = (h:read("l") or ""):match("^READY (%d+) (%d+)")
  assert(port, "break stub did not start")
  return setmetatable({handle = h, pid = pid,
                       base = "http://127.0.0.1:" .. port}, Stub)
end


--- The URL under which every request gets the answer `shape`.
function Stub:url(shape)
  return self.base .. "/" .. shape
end


function Stub:stop()
  os.execute("kill " .. self.pid .. " 2>/dev/null")
  self.handle:close()
end

return M
