--- Reading arguments the Python way (DESIGN.md decision 1).
--
-- Python's positional parameters are positional in Lua; a call may
-- instead pass all of its arguments by name in one table when its
-- first parameter is not itself a table. Python's keyword arguments
-- go in a final options table, checked by `options`: a key the
-- function does not know is a misuse error at the caller's line that
-- names the key, the function and the valid keys, and the nearest
-- valid key when one is a likely misspelling. Arguments by name
-- (`named`) are checked the same way.
--
-- @module labelstudio.args

local errors = require "labelstudio.errors"

local M = {}

-- A known key this many edits (or fewer) away from an unknown one is
-- offered as what the caller meant.
local NEAR = 2

-- The set and the sorted list of each table of known keys, made once.
local known_cache = setmetatable({}, {__mode = "k"})


--- The set and the sorted list of names in `known`: a list of names
-- or a set (`{name = true}`).
local function _known(known)
  local cached = known_cache[known]
  if cached then return cached.set, cached.list end
  local set, list = {}, {}
  if known[1] ~= nil then
    for _, name in ipairs(known) do set[name] = true end
  else
    for name, yes in pairs(known) do set[name] = yes and true or nil end
  end
  for name in pairs(set) do list[#list + 1] = name end
  table.sort(list)
  known_cache[known] = {set = set, list = list}
  return set, list
end


--- The edit distance (insertions, deletions, substitutions, and
-- swaps of two neighbours) between `a` and `b`.
function M.distance(a, b)
  local d = {}
  for i = 0, #a do d[i] = {[0] = i} end
  for j = 0, #b do d[0][j] = j end
  for i = 1, #a do
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local v = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1,
                         d[i - 1][j - 1] + cost)
      if i > 1 and j > 1 and a:byte(i) == b:byte(j - 1)
         and a:byte(i - 1) == b:byte(j) then
        v = math.min(v, d[i - 2][j - 2] + 1)
      end
      d[i][j] = v
    end
  end
  return d[#a][#b]
end


--- The name of `list` nearest `name`, if it is within two edits.
-- @tparam string name
-- @tparam {string,...} list sorted; the first of equals wins
-- @treturn string|nil
function M.nearest(name, list)
  if type(name) ~= "string" then return nil end
  local best, best_d = nil, NEAR + 1
  for _, candidate in ipairs(list) do
    local d = M.distance(name, candidate)
    if d < best_d then best, best_d = candidate, d end
  end
  return best
end


local function _key_text(k)
  if type(k) == "string" then return "'" .. k .. "'" end
  return "[" .. tostring(k) .. "]"
end


--- Raises for the first key of `t` (in sorted order) not in `known`.
-- @tparam table t the table to check
-- @tparam table known a list or a set of names
-- @tparam[opt] string what the function, as the message names it
-- @tparam[opt="option"] string noun what a key is: "option", "argument"
-- @raise a misuse error at the caller outside the SDK
function M.check_keys(t, known, what, noun)
  local set, list = _known(known)
  local bad = {}
  for k in pairs(t) do
    if not set[k] then bad[#bad + 1] = k end
  end
  if #bad == 0 then return t end
  table.sort(bad, function(x, y) return tostring(x) < tostring(y) end)
  local near = M.nearest(bad[1], list)
  errors.usage(("%sunknown %s %s%s; valid: %s"):format(
    what and (what .. ": ") or "", noun or "option", _key_text(bad[1]),
    near and (" (did you mean '" .. near .. "'?)") or "",
    #list > 0 and table.concat(list, ", ") or "none"))
end


--- Checks a final options table: nil (no options) or a table whose
-- every key is known.
-- @param opts the options table, or nil
-- @tparam table known the valid keys: a list of names, or a set; the
--   Python parameter names of the function and lsrun's own extras
-- @tparam string what the function's name, for the message
-- @treturn table `opts`, or a new empty table for nil
-- @raise a misuse error at the caller for options that are not a
--   table, or for an unknown key (naming it, the function, the valid
--   keys, and the nearest valid key within two edits)
-- @usage opts = args.options(opts, {"timeout", "interval"},
--                            "export_snapshot_wait")
function M.options(opts, known, what)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    errors.usage(("%s: the options must be a table, not %s"):format(what,
      math.type(opts) or type(opts)))
  end
  return M.check_keys(opts, known, what, "option")
end


--- Raises when more than `n` arguments are given (trailing nils do
-- not count).
-- @tparam integer n how many the function takes
-- @tparam string what the function's name, for the message
-- @param ... the arguments
function M.at_most(n, what, ...)
  local last = select("#", ...)
  while last > n and select(last, ...) == nil do last = last - 1 end
  if last > n then
    errors.usage(("%s takes at most %d arguments, got %d"):format(what,
      n, last))
  end
end


--- Checks a count such as `page_size`: an integer of at least 1.
-- @param value the argument
-- @tparam string what its name, for the message
-- @treturn integer the value
function M.positive(value, what)
  errors.check(value, "integer", what)
  if value < 1 then
    errors.usage(("%s must be at least 1, not %d"):format(what, value))
  end
  return value
end


--- Whether `first` is one table of arguments by name. When the first
-- parameter is itself a table (`names.table_first`), only a table
-- with keys, no list part, no filter fields and no selection fields
-- (`all`, `included`, `excluded`) is read by name; when
-- it may be an object's JSON (`names.object_first`), only a table
-- holding the first parameter's name.
local function _by_name(names, first)
  if type(first) ~= "table" then return false end
  if names.object_first then return first[names[1]] ~= nil end
  if not names.table_first then return true end
  return first[1] == nil and next(first) ~= nil
         and first.conjunction == nil and first.items == nil
         and first.all == nil and first.included == nil
         and first.excluded == nil
end


--- The arguments in the order of `names`, read from one table of
-- named arguments when `first` is a table, else passed through.
-- @tparam {string,...} names the parameters, in Python's order; the
--   list's `what` field, when set, names the function in messages;
--   `table_first` says the first parameter is itself a table (a list
--   or filters), read by name only when it is neither; `object_first`
--   that it may be an object's JSON, read by name only when it holds
--   the first parameter's name; `flat` says
--   the last parameter is an options table whose keys may also stand
--   in the one table beside the others (Python's keyword arguments)
-- @param first the first argument
-- @param ... the others
-- @raise a misuse error for a name that is not a parameter
function M.named(names, first, ...)
  if not _by_name(names, first) then return first, ... end
  local what = names.what
  if select("#", ...) > 0 and (...) ~= nil then
    errors.usage("pass the arguments by position or all in one table,"
                 .. " not both")
  end
  local out, n = {}, #names
  if names.flat then
    local last = names[n]
    local rest = M.copy(first[last])
    for k, v in pairs(first) do
      if k ~= last and not _known(names)[k] then rest[k] = v end
    end
    out[n] = next(rest) ~= nil and rest or nil
    n = n - 1
  else
    M.check_keys(first, names, what, "argument")
  end
  for i = 1, n do out[i] = first[names[i]] end
  return table.unpack(out, 1, #names)
end


--- One argument, given alone or in a table of named arguments: the
-- table's `name` field when it has one (any other key beside it is
-- refused), else `value` as it is.
-- @param value the argument
-- @tparam string name its parameter name
-- @usage prediction_id = args.one(prediction_id, "prediction_id")
function M.one(value, name)
  if type(value) == "table" and value[name] ~= nil then
    M.check_keys(value, {name}, nil, "argument")
    return value[name]
  end
  return value
end


--- Reads `(value, rest)`, or one table of named arguments holding
-- `name` and the rest: a call with a single table gives its `name`
-- field and a copy of its other fields. A table without `name` is
-- passed through (a first argument that is itself a table).
-- @param value the first argument
-- @param rest the table of the others
-- @tparam string name the first parameter's name
-- @return value, rest
-- @usage url, opts = args.split(url, opts, "url")
function M.split(value, rest, name)
  if type(value) == "table" and rest == nil and value[name] ~= nil then
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


--- Checks an id: a positive integer, a table of arguments by name
-- holding it under the parameter's name (`{webhook_id = 3}`), or an
-- object's JSON holding it in `id`. The server numbers objects from
-- 1, so 0 or a negative id is a misuse error here rather than a 404
-- page from the server.
-- @param value the argument
-- @tparam string what the parameter's name, for the table form and
--   the messages
-- @return integer the id
-- @raise a misuse error for a missing or wrong id, or for a table of
--   arguments with another key
-- @usage webhook_id = args.id(webhook_id, "webhook_id")
function M.id(value, what)
  if type(value) == "table" then
    if value[what] ~= nil then
      M.check_keys(value, {what}, nil, "argument")
      value = value[what]
    elseif math.type(value.id) == "integer" then
      value = value.id
    else
      M.check_keys(value, {what, "id"}, nil, "argument")
    end
  end
  errors.check(value, "integer", what)
  if value < 1 then
    errors.usage(("%s must be a positive integer, not %d"):format(what,
                                                                  value))
  end
  return value
end

return M
