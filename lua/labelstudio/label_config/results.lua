--- Builds full result items from simple values.
--
-- A result item is `{id, from_name, to_name, type, value}` as the
-- labeling UI stores it. The builders here take one control and a short
-- value (a label, a region table, a number, a text) and return the list
-- of items for it; `from` applies the rule that picks the control when
-- only a value is given.
--
-- Misuse raises an error table `{misuse = true, message = ...}`; the
-- public module turns it into an error at the caller's line.
--
-- Caveats: a `Labels` control paired with a geometry tool on the same
-- object (Rectangle + Labels) gives the split format: a geometry item
-- and a labels item that share one id. Video rectangles, relations and
-- chat messages have no short form; pass full results for them.
-- @module labelstudio.label_config.results

local items = require "labelstudio.items"
local json = require "labelstudio.json"
local tags = require "labelstudio.label_config.tags"

local M = {}

local ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
  .. "0123456789_-"

--- Object tags whose `Labels` mark spans rather than pair with a tool.
local SPAN_OBJECTS = {
  Text = true, HyperText = true, Paragraphs = true, Audio = true,
  AudioPlus = true, TimeSeries = true, Video = true, Pdf = true,
  Markdown = true, Chat = true,
}


--- Every key a region table may hold, whatever its shape: geometry,
-- labels (`label`, or the control's own key such as
-- `rectanglelabels`) and the item's `id`, `score` and `to_name`.
local REGION_KEYS = {
  label = true, id = true, score = true, to_name = true, rotation = true,
  closed = true, text = true, startOffset = true, endOffset = true,
  channel = true, instant = true,
}
local REGION_SHAPES = {bitmask = true}
for _, g in ipairs(tags.GEOMETRY) do
  REGION_SHAPES[g.shape] = true
  for _, k in ipairs(g.keys) do REGION_KEYS[k] = true end
end
for _, t in pairs(tags.CONTROLS) do
  if t.key and REGION_SHAPES[t.shape] then REGION_KEYS[t.key] = true end
end
local REGION_KEY_NAMES = {}
for k in pairs(REGION_KEYS) do
  REGION_KEY_NAMES[#REGION_KEY_NAMES + 1] = k
end
table.sort(REGION_KEY_NAMES)


--- Raises a misuse error; the public API re-raises it at level 2.
function M.fail(fmt, ...)
  error({misuse = true, message = "label_config: " .. fmt:format(...)}, 0)
end
local _fail = M.fail


--- A new region id: 10 characters, as the labeling UI makes them.
function M.new_id()
  local t = {}
  for i = 1, 10 do
    local k = math.random(#ID_CHARS)
    t[i] = ID_CHARS:sub(k, k)
  end
  return table.concat(t)
end


local function _quoted(list)
  if #list == 0 then return "(none)" end
  local t = {}
  for i, v in ipairs(list) do t[i] = string.format("%q", v) end
  return table.concat(t, ", ")
end
M.quoted = _quoted


--- The values a control accepts as labels (alias when set).
function M.label_values(control)
  local list = {}
  for _, l in ipairs(control.labels) do
    if l.tag ~= "Relation" then list[#list + 1] = l.alias or l.value end
  end
  return list
end


--- Whether a control takes labels that its config does not list.
function M.allows_new(control)
  local a = control.attrs
  return control.variable ~= nil or a.userLabels == "true"
    or a.apiUrl ~= nil or a.allowNewLabels == "true"
end


--- The stored form of one label, or nil when the control lacks it.
function M.find_label(control, label)
  for _, l in ipairs(control.labels) do
    if l.tag ~= "Relation" then
      if l.alias == label then return l.alias, l end
      if l.value == label then return l.alias or l.value, l end
    end
  end
  if M.allows_new(control) then return label end
  return nil
end


local function _as_list(v)
  if v == nil then return {} end
  if type(v) == "table" then return v end
  return {v}
end


--- Checks labels against a control and returns their stored forms.
local function _labels(control, given)
  local out = {}
  for i, label in ipairs(_as_list(given)) do
    if type(label) ~= "string" then
      _fail("control %q (%s): label %d must be a string, got %s",
            control.name, control.tag, i, type(label))
    end
    local stored = M.find_label(control, label)
    if not stored then
      _fail("control %q (%s) has no label %q; valid labels: %s",
            control.name, control.tag, label,
            _quoted(M.label_values(control)))
    end
    out[#out + 1] = stored
  end
  return out
end


local function _item(control, value, v, id)
  local to_name = type(v) == "table" and v.to_name or control.toName[1]
  local item = {id = id or (type(v) == "table" and v.id) or M.new_id(),
                from_name = control.name, to_name = to_name,
                type = control.type, value = value}
  if type(v) == "table" and v.score ~= nil then item.score = v.score end
  return item
end


local function _number(control, v, key)
  local n = v[key]
  if math.type(n) == nil then
    _fail("control %q (%s): %s must be a number, got %s",
          control.name, control.tag, key, tostring(n))
  end
  return n
end


--- Geometry fields of a region, by shape.
local GEOMETRY = {}

function GEOMETRY.rectangle(c, v)
  return {x = _number(c, v, "x"), y = _number(c, v, "y"),
          width = _number(c, v, "width"),
          height = _number(c, v, "height"), rotation = v.rotation or 0}
end

function GEOMETRY.ellipse(c, v)
  return {x = _number(c, v, "x"), y = _number(c, v, "y"),
          radiusX = _number(c, v, "radiusX"),
          radiusY = _number(c, v, "radiusY"), rotation = v.rotation or 0}
end

function GEOMETRY.keypoint(c, v)
  local g = {x = _number(c, v, "x"), y = _number(c, v, "y")}
  if v.width ~= nil then g.width = v.width end
  return g
end

function GEOMETRY.polygon(c, v)
  local points = v.points or v
  if type(points) ~= "table" or #points < 3 then
    _fail("control %q (%s): points must be a list of at least 3 {x, y}",
          c.name, c.tag)
  end
  local out = {}
  for i, p in ipairs(points) do
    if type(p) ~= "table" or math.type(p[1]) == nil
       or math.type(p[2]) == nil then
      _fail("control %q (%s): point %d must be {x, y}", c.name, c.tag, i)
    end
    out[i] = {p[1], p[2]}
  end
  local g = {points = out}
  if v.closed ~= nil then g.closed = v.closed end
  return g
end

function GEOMETRY.brush(c, v)
  if type(v.rle) ~= "table" then
    _fail("control %q (%s): rle must be a list of bytes", c.name, c.tag)
  end
  return {format = "rle", rle = v.rle}
end
GEOMETRY.bitmask = GEOMETRY.brush

function GEOMETRY.span(c, v)
  local g = {start = v.start, ["end"] = v["end"]}
  if g.start == nil or g["end"] == nil then
    _fail("control %q (%s): a span needs start and end", c.name, c.tag)
  end
  for _, k in ipairs{"text", "startOffset", "endOffset", "channel"} do
    if v[k] ~= nil then g[k] = v[k] end
  end
  if c.tag == "TimeSeriesLabels" then
    g.instant = v.instant or (v.start == v["end"])
  end
  return g
end

function GEOMETRY.timeline(c, v)
  if type(v.ranges) ~= "table" or #v.ranges == 0 then
    _fail("control %q (%s): ranges must be a list of {start, end}",
          c.name, c.tag)
  end
  return {ranges = v.ranges}
end


--- The object tag a control points at first, or nil.
local function _target(cfg, control)
  return cfg.objects[control.toName[1] or ""]
end


--- For a Labels control on an image: the geometry tool on the same
-- object that it pairs with for `shape`, or nil.
function M.partner(cfg, control, shape)
  local tool_tag = tags.PAIRED_SHAPES[shape]
  if control.tag ~= "Labels" or not tool_tag then return nil end
  for _, c in ipairs(cfg.controls) do
    if c.tag == tool_tag and c.toName[1] == control.toName[1] then
      return c
    end
  end
  return nil
end


--- The shape a control draws: Labels takes it from its object.
function M.shape_of(cfg, control)
  if control.tag ~= "Labels" then return control.shape end
  local obj = _target(cfg, control)
  if obj == nil or SPAN_OBJECTS[obj.tag] then return "span" end
  return "paired"
end


local function _region_labels(c, v)
  if type(v) ~= "table" then return v end
  if v.label ~= nil then return v.label end
  return c.key and v[c.key] or nil
end


--- The first string key of a region table (in sorted order) that no
-- region takes, or nil.
local function _unknown_region_key(v)
  local bad
  for k in pairs(v) do
    if type(k) == "string" and not REGION_KEYS[k]
       and (bad == nil or k < bad) then
      bad = k
    end
  end
  return bad
end


--- Raises for a misspelt region key, before the keys that are there
-- are read as some other shape. `c` names the control, when known.
local function _check_region_keys(v, c)
  local bad = _unknown_region_key(v)
  if bad == nil then return end
  local near = items.nearest(bad, REGION_KEY_NAMES)
  _fail("%sunknown region key %q%s", c and ("control %q (%s): ")
        :format(c.name, c.tag) or "", bad,
        near and (" (did you mean %q?)"):format(near) or "")
end


local function _region(cfg, c, v, shape)
  if type(v) ~= "table" then
    _fail("control %q (%s) takes a region table, got %s",
          c.name, c.tag, tostring(v))
  end
  _check_region_keys(v, c)
  local ctl_shape = M.shape_of(cfg, c)
  shape = shape or (ctl_shape ~= "paired" and ctl_shape)
    or M.detect(v)
  local build = GEOMETRY[shape]
  if not build then
    _fail("control %q (%s): no short form for a %s region",
          c.name, c.tag, tostring(shape))
  end
  local labels = _labels(c, _region_labels(c, v))
  local value = build(c, v)
  if ctl_shape == "paired" then
    local tool = M.partner(cfg, c, shape)
    if not tool then
      _fail("control %q (Labels) has no %s tool on %q to pair with",
            c.name, shape, tostring(c.toName[1]))
    end
    local id = v.id or M.new_id()
    local labelled = {}
    for k, x in pairs(value) do labelled[k] = x end
    labelled.labels = labels
    return {_item(tool, value, v, id), _item(c, labelled, v, id)}
  end
  if c.key then
    value[c.key] = labels
  elseif #labels > 0 then
    _fail("control %q (%s) takes no labels, got %s",
          c.name, c.tag, _quoted(labels))
  end
  return {_item(c, value, v)}
end


--- The region shape named by the keys of a table, or nil.
function M.detect(v)
  for _, g in ipairs(tags.GEOMETRY) do
    local all = true
    for _, k in ipairs(g.keys) do
      if v[k] == nil then all = false break end
    end
    if all then return g.shape end
  end
  return nil
end


local function _taxonomy_path(c, label)
  for _, l in ipairs(c.labels) do
    if l.value == label or l.alias == label then return l.path end
  end
  if M.allows_new(c) then return {label} end
  _fail("control %q (Taxonomy) has no choice %q; valid choices: %s",
        c.name, label, _quoted(M.label_values(c)))
end


--- Builders of the non-region controls, by shape.
local VALUE = {}

function VALUE.choices(_, c, v)
  if type(v) == "table" and v.choices then v = v.choices end
  return {_item(c, {choices = _labels(c, v)}, v)}
end

function VALUE.taxonomy(_, c, v)
  if type(v) == "table" and v.taxonomy then v = v.taxonomy end
  local paths = {}
  for _, x in ipairs(_as_list(v)) do
    if type(x) == "table" then
      for _, step in ipairs(x) do _taxonomy_path(c, step) end
      paths[#paths + 1] = x
    else
      paths[#paths + 1] = _taxonomy_path(c, x)
    end
  end
  return {_item(c, {taxonomy = paths}, v)}
end

function VALUE.text(_, c, v)
  if type(v) == "table" and v.text then v = v.text end
  local texts = _as_list(v)
  for i, s in ipairs(texts) do
    if type(s) ~= "string" then
      _fail("control %q (TextArea): text %d must be a string, got %s",
            c.name, i, type(s))
    end
  end
  return {_item(c, {text = texts}, v)}
end

local function _scalar(key, check)
  return function(_, c, v)
    if type(v) == "table" and v[key] ~= nil then v = v[key] end
    check(c, v)
    return {_item(c, {[key] = v}, v)}
  end
end

VALUE.rating = _scalar("rating", function(c, v)
  local max = tonumber(c.attrs.maxRating) or 5
  if math.type(v) ~= "integer" or v < 0 or v > max then
    _fail("control %q (Rating): rating must be an integer 0..%d, got %s",
          c.name, max, tostring(v))
  end
end)

VALUE.number = _scalar("number", function(c, v)
  local lo, hi = tonumber(c.attrs.min), tonumber(c.attrs.max)
  if math.type(v) == nil or (lo and v < lo) or (hi and v > hi) then
    _fail("control %q (Number): number must be a number%s, got %s",
          c.name, (lo or hi) and string.format(" in %s..%s",
            tostring(lo or "-inf"), tostring(hi or "inf")) or "",
          tostring(v))
  end
end)

VALUE.datetime = _scalar("datetime", function(c, v)
  if type(v) ~= "string" then
    _fail("control %q (DateTime): datetime must be a string, got %s",
          c.name, tostring(v))
  end
end)

VALUE.pairwise = _scalar("selected", function(c, v)
  if v ~= "left" and v ~= "right" then
    _fail("control %q (Pairwise): selected must be \"left\" or "
          .. "\"right\", got %s", c.name, tostring(v))
  end
end)

function VALUE.ranker(_, c, v)
  if type(v) ~= "table" then
    _fail("control %q (Ranker) takes a list or a table of lists, got %s",
          c.name, tostring(v))
  end
  if v.ranker then v = v.ranker end
  local ranking = v
  if #v > 0 then ranking = {[c.toName[1] or c.name] = v} end
  return {_item(c, {ranker = ranking}, v)}
end


local function _is_region_list(v)
  return type(v) == "table" and type(v[1]) == "table"
    and v[1].from_name == nil and M.detect(v[1]) ~= nil
end


--- Result items for one control from a simple value.
-- @param cfg the parsed config
-- @param control a control of `cfg`
-- @param v the simple value; a list of region tables makes many
-- @treturn table a list of result items
function M.for_control(cfg, control, v)
  if v == nil then
    _fail("control %q (%s): no value given", control.name, control.tag)
  end
  if _is_region_list(v) then
    local out = {}
    for _, r in ipairs(v) do
      for _, item in ipairs(M.for_control(cfg, control, r)) do
        out[#out + 1] = item
      end
    end
    return out
  end
  local build = VALUE[control.shape]
  if build then return build(cfg, control, v) end
  if GEOMETRY[control.shape] or control.tag == "Labels" then
    return _region(cfg, control, v)
  end
  _fail("control %q (%s) has no short form; pass full results",
        control.name, control.tag)
end


--- Result items for many controls: `values` keyed by control name.
-- Items come in the order the controls appear in the config.
function M.for_controls(cfg, values)
  for name in pairs(values) do
    if type(name) ~= "string" or not cfg.controls[name] then
      local names = {}
      for i, c in ipairs(cfg.controls) do names[i] = c.name end
      _fail("no control named %q; controls: %s", tostring(name),
            _quoted(names))
    end
  end
  local out = {}
  for _, c in ipairs(cfg.controls) do
    if values[c.name] ~= nil and cfg.controls[c.name] == c then
      for _, item in ipairs(M.for_control(cfg, c, values[c.name])) do
        out[#out + 1] = item
      end
    end
  end
  return out
end


--- Whether a table is already a list of result items.
function M.is_result_list(v)
  if type(v) ~= "table" or next(v) == nil then
    return type(v) == "table"
  end
  return type(v[1]) == "table" and v[1].from_name ~= nil
    and v[1].type ~= nil
end


local function _names(list)
  local t = {}
  for i, c in ipairs(list) do t[i] = c.name end
  return _quoted(t)
end


--- Controls with any of the given shapes.
local function _of_shape(cfg, shapes)
  local list = {}
  for _, c in ipairs(cfg.controls) do
    if shapes[c.shape] then list[#list + 1] = c end
  end
  return list
end


local function _fits(c, labels)
  for _, l in ipairs(labels) do
    if not M.find_label(c, l) then return false end
  end
  return true
end


local function _all_labels(list)
  local seen, out = {}, {}
  for _, c in ipairs(list) do
    for _, l in ipairs(M.label_values(c)) do
      if not seen[l] then seen[l] = true out[#out + 1] = l end
    end
  end
  return out
end


local function _from_string(cfg, s)
  local classify = _of_shape(cfg, {choices = true, taxonomy = true})
  local hits = {}
  for _, c in ipairs(classify) do
    if not M.allows_new(c) and M.find_label(c, s) then
      hits[#hits + 1] = c
    end
  end
  if #hits == 1 then return M.for_control(cfg, hits[1], s) end
  if #hits > 1 then
    _fail("label %q fits several controls: %s; use a table keyed by "
          .. "control name, such as {%s = %q}", s, _names(hits),
          hits[1].name, s)
  end
  local areas = _of_shape(cfg, {text = true})
  if #areas == 1 then return M.for_control(cfg, areas[1], s) end
  if #areas > 1 then
    _fail("text %q fits several TextArea controls: %s; use a table "
          .. "keyed by control name, such as {%s = %q}", s,
          _names(areas), areas[1].name, s)
  end
  _fail("no Choices or Taxonomy control has %q and there is no "
        .. "TextArea; valid labels: %s", s, _quoted(_all_labels(classify)))
end


--- Candidate controls for a region of `shape` with `labels`.
local function _region_candidates(cfg, shape)
  local list = {}
  for _, c in ipairs(cfg.controls) do
    local s = M.shape_of(cfg, c)
    if s == shape or (s == "paired" and M.partner(cfg, c, shape)) then
      list[#list + 1] = c
    end
  end
  return list
end


local function _from_region(cfg, v)
  _check_region_keys(v)
  local shape = M.detect(v)
  local labels = _as_list(v.label)
  local all = _region_candidates(cfg, shape)
  local hits = {}
  for _, c in ipairs(all) do
    local labelled = tags.CONTROLS[c.tag].labelled
    if (#labels == 0 and not labelled)
       or (#labels > 0 and labelled and _fits(c, labels)) then
      hits[#hits + 1] = c
    end
  end
  if #hits == 1 then return _region(cfg, hits[1], v, shape) end
  if #hits > 1 then
    _fail("%s region fits several controls: %s; use a table keyed by "
          .. "control name, such as {%s = {...}}", shape, _names(hits),
          hits[1].name)
  end
  if #all == 0 then
    _fail("a %s region needs a %s control, and the config has none",
          shape, shape)
  end
  if #labels == 0 then
    _fail("%s region has no label; give label = one of %s", shape,
          _quoted(_all_labels(all)))
  end
  _fail("no %s control has label %s; valid labels: %s", shape,
        _quoted(labels), _quoted(_all_labels(all)))
end


--- Whether `v` is a table whose every key names a control of `cfg`:
-- the many-controls form of `for_controls`.
local function _keyed_by_control(cfg, v)
  if next(v) == nil then return false end
  for k in pairs(v) do
    if type(k) ~= "string" or not cfg.controls[k] then return false end
  end
  return true
end


-- The keys a value payload of a control without regions may hold
-- besides the control's own value key.
local PAYLOAD_KEYS = {id = true, score = true, to_name = true}


--- Controls with a short form whose value key (`choices`,
-- `rectanglelabels`, `text`...) is a key of `v`: region controls when
-- `v` has a region's geometry, the others when it has none (so that
-- the `text` of a span region never picks a TextArea).
local function _by_value_key(cfg, v)
  local region = M.detect(v) ~= nil
  local list = {}
  for _, c in ipairs(cfg.controls) do
    local is_region = GEOMETRY[c.shape] ~= nil or c.tag == "Labels"
    if c.key and v[c.key] ~= nil and region == is_region
       and (is_region or VALUE[c.shape]) then
      list[#list + 1] = c
    end
  end
  return list
end


--- The value payload form, as the Python SDK documents it for
-- `create_prediction` (`{choices = {"Cat"}}`, or `{rectanglelabels =
-- {"Dog"}, x = 10, y = 20, width = 30, height = 40}`): the table is
-- the `value` of the one control whose value key it holds. The server
-- wraps such a table for the first control of that type in config
-- order and checks nothing; lsrun refuses it when several controls
-- fit instead, as picking the first would put the labels on a control
-- the script may not mean. Returns nil when no control fits.
local function _from_payload(cfg, v)
  local hits = _by_value_key(cfg, v)
  if #hits == 0 then return nil end
  if #hits > 1 then
    _fail("a value with key %q fits several controls: %s; use a table "
          .. "keyed by control name, such as {%s = {...}}", hits[1].key,
          _names(hits), hits[1].name)
  end
  local c = hits[1]
  if not M.detect(v) then
    for k in pairs(v) do
      if k ~= c.key and not PAYLOAD_KEYS[k] then
        _fail("control %q (%s): unknown key %q in a value with %q",
              c.name, c.tag, tostring(k), c.key)
      end
    end
  end
  return M.for_control(cfg, c, v)
end


--- The rule of `result_from`: a full result list as is, a label string,
-- a region table, a number for the one Rating or Number control, a
-- table keyed by control names (as `for_controls` takes it), or a
-- control's value payload (`{choices = {"Cat"}}`). A table whose every
-- key names a control is read as keyed by control names, even where a
-- name is also a value key, so that `{sentiment = "Good", rating = 4}`
-- keeps both controls.
function M.from(cfg, v)
  if type(v) == "table" and next(v) == nil then return json.array{} end
  if M.is_result_list(v) then return v end
  if type(v) == "string" then return _from_string(cfg, v) end
  if math.type(v) then
    local list = _of_shape(cfg, {rating = true, number = true})
    if #list == 1 then return M.for_control(cfg, list[1], v) end
    _fail("number %s needs exactly one Rating or Number control; "
          .. "found %s", tostring(v), #list == 0 and "none"
          or _names(list))
  end
  if type(v) == "table" and v.from_name and v.type then return {v} end
  if type(v) == "table" and _keyed_by_control(cfg, v) then
    return M.for_controls(cfg, v)
  end
  if type(v) == "table" then
    local out = _from_payload(cfg, v)
    if out then return out end
  end
  if type(v) == "table" and M.detect(v) then
    return _from_region(cfg, v)
  end
  if _is_region_list(v) then
    local out = {}
    for _, r in ipairs(v) do
      for _, item in ipairs(_from_region(cfg, r)) do
        out[#out + 1] = item
      end
    end
    return out
  end
  _fail("cannot make a result from %s; give a result list, a label, "
        .. "a region such as {x=, y=, width=, height=, label=}, or a "
        .. "table keyed by control name",
        type(v) == "table" and "this table" or tostring(v))
end


return M
