--- Checks a list of full result items against a parsed config.
--
-- Each problem is `{index, from_name, message}`: `index` is the item's
-- position in the list. Findings: an item that is not a result, an
-- unknown control, a `to_name` the control does not point at, a type
-- that is not the control's, a label the control does not list (unless
-- it allows new labels), a value of the wrong kind, and coordinates out
-- of range (percent: 0 <= x, y; width, height > 0; x + width and
-- y + height <= 100 for boxes without rotation).
--
-- Caveats: relation items are checked only for their two ids; values of
-- controls without a short form (video, ranker, chat) only for type.
-- @module labelstudio.label_config.check

local results = require "labelstudio.label_config.results"
local tags = require "labelstudio.label_config.tags"

local M = {}


local function _add(out, i, item, fmt, ...)
  out[#out + 1] = {index = i,
                   from_name = type(item) == "table" and item.from_name
                     or nil,
                   message = string.format("result %d: ", i)
                     .. fmt:format(...)}
end


local function _is_number(v)
  return math.type(v) ~= nil
end


--- Coordinate checks by the geometry keys a value carries.
local function _coordinates(value, add)
  local x, y, w, h = value.x, value.y, value.width, value.height
  if _is_number(x) and _is_number(y) then
    if x < 0 or y < 0 or x > 100 or y > 100 then
      add("x and y must be within 0..100, got %s, %s", x, y)
    end
  end
  if _is_number(w) and _is_number(h) and value.radiusX == nil then
    if w <= 0 or h <= 0 or w > 100 or h > 100 then
      add("width and height must be > 0 and <= 100, got %s, %s", w, h)
    elseif (value.rotation or 0) == 0 and _is_number(x)
       and _is_number(y) and (x + w > 100 + 1e-9 or y + h > 100 + 1e-9) then
      add("box reaches past 100%% (x + width = %s, y + height = %s)",
          x + w, y + h)
    end
  end
  for _, k in ipairs{"radiusX", "radiusY"} do
    if value[k] ~= nil and (not _is_number(value[k]) or value[k] <= 0
                            or value[k] > 50) then
      add("%s must be > 0 and <= 50, got %s", k, tostring(value[k]))
    end
  end
  if type(value.points) == "table" then
    for j, p in ipairs(value.points) do
      local px, py = type(p) == "table" and p[1], type(p) == "table" and p[2]
      if not (_is_number(px) and _is_number(py)) or px < 0 or py < 0
         or px > 100 or py > 100 then
        add("point %d must be {x, y} within 0..100", j)
      end
    end
  end
  if _is_number(value.start) and _is_number(value["end"])
     and (value.start < 0 or value["end"] < value.start) then
    add("span must have 0 <= start <= end, got %s..%s", value.start,
        value["end"])
  end
end


local function _labels(control, list, add)
  if type(list) ~= "table" then
    add("%s must be a list, got %s", control.key, type(list))
    return
  end
  for _, label in ipairs(list) do
    local flat = type(label) == "table" and label or {label}
    for _, l in ipairs(flat) do
      if type(l) ~= "string" or not results.find_label(control, l) then
        add("control %q (%s) has no label %s; valid labels: %s",
            control.name, control.tag, string.format("%q", tostring(l)),
            results.quoted(results.label_values(control)))
      end
    end
  end
end


local function _scalar(control, value, add)
  local a = control.attrs
  if control.shape == "rating" then
    local v, max = value.rating, tonumber(a.maxRating) or 5
    if math.type(v) ~= "integer" or v < 0 or v > max then
      add("rating must be an integer 0..%d, got %s", max, tostring(v))
    end
  elseif control.shape == "number" then
    local v, lo, hi = value.number, tonumber(a.min), tonumber(a.max)
    if not _is_number(v) or (lo and v < lo) or (hi and v > hi) then
      add("number must be a number%s, got %s",
          (lo or hi) and (" in " .. tostring(lo) .. ".." .. tostring(hi))
          or "", tostring(v))
    end
  elseif control.shape == "text" then
    local t = value.text
    if type(t) ~= "string" and type(t) ~= "table" then
      add("text must be a string or a list of strings")
    end
  elseif control.shape == "datetime" and type(value.datetime) ~= "string"
  then
    add("datetime must be a string")
  end
end


--- Types an item of `control` may have.
local function _types(cfg, control)
  local ok = {[control.type] = true}
  local spec = tags.CONTROLS[control.tag]
  if spec.labelled and spec.key and control.shape ~= "span" then
    ok[control.shape] = true
  end
  if results.shape_of(cfg, control) == "paired" then ok.labels = true end
  return ok
end


local function _item(cfg, i, item, ids, out)
  local function add(fmt, ...) _add(out, i, item, fmt, ...) end
  if type(item) ~= "table" then
    return add("must be a table, got %s", type(item))
  end
  if item.type == "relation" then
    if not ids[item.from_id] or not ids[item.to_id] then
      add("relation links ids %s and %s, not both in the list",
          tostring(item.from_id), tostring(item.to_id))
    end
    return
  end
  for _, k in ipairs{"from_name", "to_name", "type"} do
    if type(item[k]) ~= "string" then
      return add("%s must be a string, got %s", k, type(item[k]))
    end
  end
  if type(item.value) ~= "table" then
    return add("value must be a table, got %s", type(item.value))
  end
  local control = cfg.controls[item.from_name]
  if not control then
    local names = {}
    for j, c in ipairs(cfg.controls) do names[j] = c.name end
    return add("unknown control %q; controls: %s", item.from_name,
               results.quoted(names))
  end
  local to_ok = false
  for _, to in ipairs(control.toName) do
    if to == item.to_name then to_ok = true end
  end
  if not to_ok then
    add("to_name %q is not a toName of control %q; valid: %s",
        item.to_name, control.name, results.quoted(control.toName))
  end
  if not _types(cfg, control)[item.type] then
    add("type %q does not fit control %q (%s); expected %q", item.type,
        control.name, control.tag, control.type)
  end
  local key = item.type == "labels" and "labels" or control.key
  local spec = tags.CONTROLS[control.tag]
  if key and item.value[key] ~= nil and (spec.labelled or key == "labels")
  then
    _labels(control, item.value[key], add)
  elseif control.shape == "choices" or control.shape == "taxonomy" then
    add("value.%s is missing", control.key)
  end
  _scalar(control, item.value, add)
  _coordinates(item.value, add)
end


--- Checks a result list.
-- @return true, or false and a list of problems
function M.check(cfg, list)
  local out = {}
  if type(list) ~= "table" then
    _add(out, 0, nil, "results must be a list, got %s", type(list))
    return false, out
  end
  local ids = {}
  for _, item in ipairs(list) do
    if type(item) == "table" and item.id ~= nil then ids[item.id] = true end
  end
  for i, item in ipairs(list) do _item(cfg, i, item, ids, out) end
  if #out > 0 then return false, out end
  return true, out
end


return M
