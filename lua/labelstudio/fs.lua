--- Folders on the local disk, for the calls that write files.
--
-- Caveats: folders are made with the system's `mkdir -p`, as Lua has
-- no call for it; the path is quoted for the shell.
-- @module labelstudio.fs

local errors = require "labelstudio.errors"

local M = {}


local function _shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end


--- Makes a folder and the missing folders above it; nothing for nil,
-- `""` or `"."`.
-- @tparam string|nil dir
-- @tparam[opt] string what the call, to start the message with
-- @raise a misuse error at the caller when the folder cannot be made
function M.mkdir(dir, what)
  if dir == nil or dir == "" or dir == "." then return end
  if not os.execute("mkdir -p -- " .. _shell_quote(dir)) then
    errors.usage(("%scannot make the folder %s"):format(
      what and (what .. ": ") or "", dir))
  end
end


--- The folder part of a file path, or nil for a bare file name.
-- @tparam string path
function M.parent(path)
  return path:match("^(.*[^/])/+[^/]*$") or path:match("^(/)[^/]+$")
end


return M
