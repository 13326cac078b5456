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


local function _sorted_keys(set)
  local names = {}
  for k in pairs(set) do names[#names + 1] = k end
  table.sort(names)
  return names
end


--- The message for an unknown field, naming the nearest known one.
-- @param key the unknown key
-- @tparam table known a set of the known field names
-- @treturn string
function M.unknown_message(key, known)
  local names = _sorted_keys(known)
  local near = type(key) == "string" and M.nearest(key, names)
  return ("unknown field '%s'%s; fields: %s"):format(tostring(key),
    near and (" (did you mean '" .. near .. "'?)") or "",
    table.concat(names, ", "))
end


--- Raises a misuse error for the first key of `t` (in sorted order)
-- that is not in `known`.
-- @tparam table t
-- @tparam table known a set of the field names `t` may hold
-- @tparam string what how to name `t` in the message
-- @treturn table t
function M.fields(t, known, what)
  local bad = {}
  for k in pairs(t) do
    if not known[k] then bad[#bad + 1] = tostring(k) end
  end
  if #bad == 0 then return t end
  table.sort(bad)
  errors.usage(what .. ": " .. M.unknown_message(bad[1], known))
end


return M
