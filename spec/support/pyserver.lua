-- Spec helper: starts one of the Python loopback servers of this
-- folder and reads the line it prints once it listens on 127.0.0.1:
-- "READY <port> [<more ports> ...] <pid>".
--   local proc = require("pyserver").start("httpd.py", arg1, ...)
--   proc.url, proc.port, proc.ports, proc:stop()

local M = {}
local Process = {}
Process.__index = Process

local DIR = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."


local function quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end


--- Starts `script` (a file in spec/support) with the given arguments.
-- @treturn table `port` (the first), `ports` (every port printed),
--   `pid`, `url` (`http://127.0.0.1:<port>`), `stop`
function M.start(script, ...)
  local words = {"exec python3", quote(DIR .. "/" .. script)}
  for _, a in ipairs{...} do words[#words + 1] = quote(a) end
  local h = assert(io.popen(table.concat(words, " ") .. " 2>/dev/null"))
  local line = h:read("l") or ""
  local nums = {}
  for n in line:gmatch("%d+") do nums[#nums + 1] = tonumber(n) end
  if not line:match("^READY ") or #nums < 2 then
    h:close()
    error(script .. " did not start", 2)
  end
  local pid = table.remove(nums)
  return setmetatable({handle = h, pid = pid, port = nums[1], ports = nums,
                       url = "http://127.0.0.1:" .. nums[1]}, Process)
end


--- Stops the server; safe to call twice.
function Process:stop()
  if self.handle == nil then return end
  os.execute("kill " .. self.pid .. " 2>/dev/null")
  self.handle:close()
  self.handle = nil
end

return M
