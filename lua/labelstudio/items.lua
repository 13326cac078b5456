--- Checks on what a call sends, before it is sent: lists without
-- holes, and items whose fields the server knows.
--
-- A Lua list with a nil in it (`{a, nil, c}`) ends at the hole for
-- `ipairs` and `#`, so everything after it would be dropped without a
-- word; a misspelt field (`reslt`) would be sent and ignored by the
-- server, or stored as null. Both are misuse, raised at the caller.
--
-- @module labelstudio.items

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"

local M = {}


--- The first missing index of a list that has one, or nil.
-- @tparam table t
-- @treturn integer|nil the index of the first hole
function M.hole(t)
  local n = 0
  while t[n + 1] ~= nil do n = n + 1 end
  for k in pairs(t) do
    if math.type(k) == "integer" and k > n then return n + 1 end
  end
  return nil
end


--- Raises a misuse error when the list `t` has a hole.
-- @tparam table t
-- @tparam string what how to name the list in the message
-- @treturn table t
function M.list(t, what)
  local at = M.hole(t)
  if at then
    errors.usage(("%s: list has a hole at %d (a nil there ends the"
                  .. " list; everything after it would be dropped)")
                 :format(what, at))
  end
  return t
end


--- The name in `names` nearest to `word`, or nil when none is close:
-- `labelstudio.args`' rule, shared with the options checks.
-- @tparam string word
-- @tparam {string,...} names
-- @treturn string|nil
M.nearest = args.nearest


--- Raises a misuse error for the first key of `t` (in sorted order)
-- that is not in `known`, naming the nearest known one: the options
-- check of `labelstudio.args`, with the keys called fields.
-- @tparam table t
-- @tparam table known a set of the field names `t` may hold
-- @tparam string what how to name `t` in the message
-- @treturn table t
function M.fields(t, known, what)
  return args.check_keys(t, known, what, "field")
end


return M
