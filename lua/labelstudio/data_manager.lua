--- Data Manager filters: `Filters`, `Column`, `Operator`, `Type`.
--
-- The names of the Python SDK's `label_studio_sdk.data_manager`:
--
--     local dm = require "labelstudio.data_manager"
--     local Filters, Column = dm.Filters, dm.Column
--     local f = Filters.create(Filters.AND, {
--       Filters.item(Column.id, dm.Operator.GREATER, dm.Type.Number,
--                    Filters.value(42)),
--     })
--     project:get_tasks{filters = f}
--
-- Python's `datetime` becomes a table with `os.time`'s keys read as
-- UTC (`{year = 2021, month = 11, day = 1}`; hour, min and sec default
-- to 0, and sec may have a fraction) or a Unix time in seconds.
--
-- Caveats: `Filters.item` adds the `filter:` prefix unless the name
-- already has it. The open-source server ignores an item whose value
-- is null, and needs `{min, max}` for `in`/`not_in`. Datetime values
-- are written with six fraction digits, as the server requires.
--
-- @module labelstudio.data_manager

local errors = require "labelstudio.errors"

local M = {}

local Filters = {OR = "or", AND = "and"}
M.Filters = Filters

--- Filter operators.
M.Operator = {
  EQUAL = "equal", NOT_EQUAL = "not_equal", LESS = "less",
  GREATER = "greater", LESS_OR_EQUAL = "less_or_equal",
  GREATER_OR_EQUAL = "greater_or_equal", IN = "in", NOT_IN = "not_in",
  IN_LIST = "in_list", NOT_IN_LIST = "not_in_list", EMPTY = "empty",
  CONTAINS = "contains", NOT_CONTAINS = "not_contains", REGEX = "regex",
}

--- Column types.
M.Type = {
  Number = "Number", Datetime = "Datetime", Boolean = "Boolean",
  String = "String", List = "List", Unknown = "Unknown",
}

local COLUMNS = {
  -- the Python SDK's columns
  "id", "inner_id", "ground_truth", "annotations_results", "reviewed",
  "predictions_score", "predictions_model_versions",
  "predictions_results", "file_upload", "created_at", "updated_at",
  "annotators", "total_predictions", "cancelled_annotations",
  "total_annotations", "completed_at", "agreement", "reviewers",
  "reviews_rejected", "reviews_accepted", "comments",
  "unresolved_comment_count",
  -- more columns of the open-source server
  "annotations_ids", "storage_filename", "updated_by", "avg_lead_time",
  "draft_exists",
}

--- Columns, as `tasks:<name>` strings; `Column.data(field)` for a
-- field of the task data.
M.Column = {}
for _, name in ipairs(COLUMNS) do M.Column[name] = "tasks:" .. name end


--- The column of a task data field.
-- @tparam string field such as `"text"`
-- @treturn string `"tasks:data.text"`
function M.Column.data(field)
  errors.check(field, "string", "field")
  return "tasks:data." .. field
end


--- A filter group.
-- @tparam string conjunction `Filters.AND` or `Filters.OR`
-- @tparam {table,...} items from `Filters.item`
-- @treturn table `{conjunction = ..., items = {...}}`
function Filters.create(conjunction, items)
  if type(conjunction) == "table" and items == nil then
    conjunction, items = conjunction.conjunction, conjunction.items
  end
  errors.check(conjunction, "string", "conjunction")
  if conjunction ~= "and" and conjunction ~= "or" then
    errors.usage("conjunction must be Filters.AND or Filters.OR")
  end
  errors.check(items, "table", "items")
  local json = require "labelstudio.json"
  return {conjunction = conjunction, items = json.array(items)}
end


--- Raises at the caller unless `value` is one of `set`'s values.
local function _check_known(set, value, what, set_name)
  local names = {}
  for _, v in pairs(set) do
    if v == value then return end
    names[#names + 1] = v
  end
  table.sort(names)
  errors.usage(("%s must be a value of %s (%s), not '%s'"):format(what,
    set_name, table.concat(names, ", "), value))
end


local DATETIME = "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d+Z$"

--- What a value of a Number or Datetime column must be; the server
-- answers 500 for anything else.
local SCALARS = {
  Number = {"a finite decimal number", function(v)
    if type(v) == "string" then
      local t = v:match("^%s*[-+]?(.-)[eE][-+]?%d+%s*$")
        or v:match("^%s*[-+]?(.-)%s*$")
      if not (t:match("^%d+%.?%d*$") or t:match("^%.%d+$")) then
        return false
      end
      v = tonumber(v)
    end
    return math.type(v) ~= nil and v == v and v > -math.huge
      and v < math.huge
  end},
  Datetime = {"a date from Filters.datetime", function(v)
    return type(v) == "string" and v:match(DATETIME) ~= nil
  end},
}

local COMPARISONS = {equal = true, not_equal = true, less = true,
                     greater = true, less_or_equal = true,
                     greater_or_equal = true}

--- What the server reads as a boolean, for the `empty` operator.
local FLAGS = {[true] = true, [false] = true, [0] = true, [1] = true,
               ["true"] = true, ["false"] = true, ["yes"] = true,
               ["no"] = true, ["1"] = true, ["0"] = true}


local function _show(v)
  if type(v) == "string" then return ("'%s'"):format(v) end
  return tostring(v)
end


--- Raises at the caller for a value the server cannot read for this
-- operator and column type.
local function _check_value(operator, column_type, value)
  local scalar = SCALARS[column_type]
  local what, ok = scalar and scalar[1], scalar and scalar[2]
  local function refuse(fmt, ...)
    errors.usage(("filter value for %s %s: " .. fmt):format(column_type,
      operator, ...))
  end
  if operator == "empty" then
    if not FLAGS[value] then
      refuse("must be true or false, not %s", _show(value))
    end
  elseif operator == "in_list" or operator == "not_in_list" then
    if type(value) ~= "table" then
      refuse("must be a list, not %s", _show(value))
    end
    for i, v in ipairs(value) do
      if ok and not ok(v) then
        refuse("item %d must be %s, not %s", i, what, _show(v))
      end
    end
  elseif ok and (operator == "in" or operator == "not_in") then
    if type(value) ~= "table" or value.min == nil or value.max == nil then
      refuse("must be a range from Filters.value(min, max), not %s",
             _show(value))
    end
    for _, k in ipairs{"min", "max"} do
      if not ok(value[k]) then
        refuse("%s must be %s, not %s", k, what, _show(value[k]))
      end
    end
  elseif ok and COMPARISONS[operator] and not ok(value) then
    refuse("must be %s, not %s", what, _show(value))
  end
end


--- One filter item.
-- @tparam string name a `Column` value
-- @tparam string operator an `Operator` value
-- @tparam string column_type a `Type` value
-- @param value from `Filters.value`
-- @treturn table
-- @raise for an operator or a type the server does not know, or a
-- value it cannot read for them (a word for a Number, a date not in
-- its format, a single value for `in`, anything but a flag for
-- `empty`): the server would answer 500
function Filters.item(name, operator, column_type, value)
  if type(name) == "table" then
    name, operator, column_type, value =
      name.name, name.operator, name.column_type, name.value
  end
  errors.check(name, "string", "name")
  errors.check(operator, "string", "operator")
  errors.check(column_type, "string", "column_type")
  _check_known(M.Operator, operator, "operator", "Operator")
  _check_known(M.Type, column_type, "column_type", "Type")
  _check_value(operator, column_type, value)
  if name:sub(1, 7) ~= "filter:" then name = "filter:" .. name end
  return {filter = name, operator = operator, type = column_type,
          value = value}
end


local function _days_from_civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end


--- The fields of a date table: os.time's names, Python's where they
-- differ (`minute`, `second`, `microsecond`), each with its range.
-- `isdst`, `wday` and `yday` (os.date's) are read and ignored.
local DATE_FIELDS = {
  {"year", 1, 9999, true}, {"month", 1, 12, true}, {"day", 1, 31, true},
  {"hour", 0, 23}, {"min", 0, 59, false, "minute"},
  {"sec", 0, 59, false, "second"}, {"microsecond", 0, 999999},
}
local DATE_IGNORED = {isdst = true, wday = true, yday = true}


local function _month_days(y, m)
  if m == 2 then
    return (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28
  end
  return (m == 4 or m == 6 or m == 9 or m == 11) and 30 or 31
end


--- Reads a date table into {year, month, ...}, refusing unknown keys,
-- missing required ones and values out of range, as Python's
-- datetime does.
local function _date_fields(t)
  local out, known = {}, {}
  for k in pairs(DATE_IGNORED) do known[k] = true end
  for _, f in ipairs(DATE_FIELDS) do
    local name, lo, hi, required, alias = table.unpack(f)
    known[name] = true
    if alias then known[alias] = true end
    if alias and t[name] ~= nil and t[alias] ~= nil then
      errors.usage(("datetime: give %s or %s, not both"):format(name,
                                                                alias))
    end
    local v = t[name]
    if v == nil and alias then v = t[alias] end
    if v == nil and required then
      errors.usage("datetime needs the field " .. name)
    end
    if v ~= nil then
      errors.check(v, name == "sec" and "number" or "integer",
                   "datetime field " .. (alias or name))
      if name == "day" then hi = _month_days(out.year, out.month) end
      if not (v >= lo and v < hi + 1) then
        errors.usage(("datetime field %s must be within %d..%d, not %s")
          :format(name, lo, hi, v))
      end
    end
    out[name] = v or 0
  end
  for k in pairs(t) do
    if not known[k] then
      errors.usage(("datetime: unknown field '%s' (expected year,"
        .. " month, day, hour, min or minute, sec or second,"
        .. " microsecond)"):format(tostring(k)))
    end
  end
  return out
end


--- Seconds since the epoch of a date table read as UTC.
local function _timegm(t)
  local d = _date_fields(t)
  local days = _days_from_civil(d.year, d.month, d.day)
  return days * 86400 + d.hour * 3600 + d.min * 60 + d.sec
    + d.microsecond / 1e6
end


--- A point in time as the Data Manager wants it.
-- @tparam[opt] table|number t `os.time`'s keys read as UTC, or a Unix
--   time; no argument: now
-- @treturn string `"%Y-%m-%dT%H:%M:%S.ffffffZ"`
-- @usage Filters.datetime{year = 2021, month = 11, day = 1}
--   --> "2021-11-01T00:00:00.000000Z"
function Filters.datetime(t)
  local secs
  if t == nil then secs = require("lsrun.sys").time()
  elseif type(t) == "table" then secs = _timegm(t)
  else secs = errors.check(t, "number", "datetime") end
  local whole = math.floor(secs)
  local micro = math.floor((secs - whole) * 1e6 + 0.5)
  if micro >= 1000000 then whole, micro = whole + 1, micro - 1000000 end
  return os.date("!%Y-%m-%dT%H:%M:%S", whole)
    .. (".%06dZ"):format(micro)
end


local function _is_date(v)
  return type(v) == "table" and v.year ~= nil and v.month ~= nil
    and v.day ~= nil
end


local function _value(v)
  if _is_date(v) then return Filters.datetime(v) end
  return v
end


--- A filter value; two arguments give a range.
-- @param value a number, string, boolean, or date table
-- @param[opt] maximum the end of a range
-- @return the value, or `{min = value, max = maximum}`
-- @usage Filters.value(Filters.datetime{year = 2021, month = 11, day = 1},
--                      Filters.datetime())
function Filters.value(value, maximum)
  if maximum ~= nil then
    return {min = _value(value), max = _value(maximum)}
  end
  return _value(value)
end


--- Makes reading a name that `t` lacks a misuse error naming the ones
-- it has, so that a typo such as `Operator.GRATER` is caught where it
-- is written rather than sent as nil.
local function _strict(t, what)
  return setmetatable(t, {__index = function(_, key)
    local names = {}
    for name in pairs(t) do names[#names + 1] = tostring(name) end
    table.sort(names)
    errors.usage(("%s has no '%s' (it has %s)"):format(what,
      tostring(key), table.concat(names, ", ")))
  end})
end

_strict(Filters, "Filters")
_strict(M.Operator, "Operator")
_strict(M.Type, "Type")
_strict(M.Column, "Column")

return M
