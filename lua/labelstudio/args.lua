--- Reading arguments the Python way (DESIGN.md decision 1).
--
-- Python's positional parameters are positional in Lua; a call may
-- instead pass all of its arguments by name in one table when its
-- first parameter is not itself a table.
--
-- @module labelstudio.args

local errors = require "labelstudio.errors"

local M = {}


--- The arguments in the order of `names`, read from one table of
-- named arguments when `first` is a table, else passed through.
-- @tparam {string,...} names the parameters, in Python's order
-- @param first the first argument
-- @param ... the others
-- @raise a misuse error for a name that is not a parameter
function M.named(names, first, ...)
  if type(first) ~= "table" then return first, ... end
  if select("#", ...) > 0 and (...) ~= nil then
    errors.usage("pass the arguments by position or all in one table,"
                 .. " not both")
  end
  local known = {}
  for _, name in ipairs(names) do known[name] = true end
  for k in pairs(first) do
    if not known[k] then
      errors.usage(("unknown argument '%s' (expected %s)"):format(
        tostring(k), table.concat(names, ", ")))
    end
  end
  local out = {}
  for i, name in ipairs(names) do out[i] = first[name] end
  return table.unpack(out, 1, #names)
end


--- One argument, given alone or in a table of named arguments: the
-- table's `name` field when it has one, else `value` as it is.
-- @param value the argument
-- @tparam string name its parameter name
-- @usage prediction_id = args.one(prediction_id, "prediction_id")
function M.one(value, name)
  if type(value) == "table" and value[name] ~= nil then
    return value[name]
  end
  return value
end


--- Reads `(value, rest)`, or one table of named arguments holding
-- `name` and the rest: a call with a single table gives its `name`
-- field and a copy of its other fields.
-- @param value the first argument
-- @param rest the table of the others
-- @tparam string name the first parameter's name
-- @return value, rest
-- @usage url, opts = args.split(url, opts, "url")
function M.split(value, rest, name)
  if type(value) == "table" and rest == nil then
    return value[name], M.copy(value, {[name] = true})
  end
  return value, rest
end


--- A copy of `t` without the keys in `drop` (a set).
function M.copy(t, drop)
  local out = {}
  for k, v in pairs(t or {}) do
    if not (drop and drop[k]) then out[k] = v end
  end
  return out
end


--- Checks an id: an integer, or a table holding one in `id`.
-- @return integer the id
function M.id(value, what)
  if type(value) == "table" and math.type(value.id) == "integer" then
    return value.id
  end
  return errors.check(value, "integer", what)
end

return M
