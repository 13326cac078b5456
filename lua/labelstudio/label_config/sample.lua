--- Sample task data and a sample prediction for any config.
--
-- The task holds a value for every `$variable`, shaped for the tag that
-- reads it (a URL under `example.invalid` for media, text for Text, a
-- list of utterances for Paragraphs, columns for JSON TimeSeries,
-- options for dynamic Choices). The prediction holds one result per
-- control that has a short form, made with the result builders.
--
-- Caveats: per-region controls, brushes, video rectangles, rankers,
-- relations and chat messages get no sample result.
-- @module labelstudio.label_config.sample

local parse = require "labelstudio.label_config.parse"
local results = require "labelstudio.label_config.results"

local M = {}

local TEXT = "Sample text to label."
local MEDIA = "https://example.invalid/sample."


local function _timeseries(node)
  local a = node.attrs
  if (a.valueType or "url") ~= "json" then return MEDIA .. "csv" end
  local data = {}
  local time = a.timeColumn or "time"
  data[time] = {0, 1, 2, 3}
  parse.walk(node, function(n)
    if n.tag == "Channel" and n.attrs.column then
      data[n.attrs.column] = {0.5, 1.5, 1.0, 2.0}
    end
  end)
  return data
end


local function _paragraphs(node)
  local name = node.attrs.nameKey or "author"
  local text = node.attrs.textKey or "text"
  return {{[name] = "Alice", [text] = TEXT},
          {[name] = "Bob", [text] = "A reply."}}
end


local OBJECT = {
  Image = function(n)
    if n.attrs.valueList then return {MEDIA .. "jpg"} end
    return MEDIA .. "jpg"
  end,
  Text = function() return TEXT end,
  HyperText = function() return "<p>" .. TEXT .. "</p>" end,
  Markdown = function() return "**" .. TEXT .. "**" end,
  Audio = function() return MEDIA .. "wav" end,
  AudioPlus = function() return MEDIA .. "wav" end,
  Video = function() return MEDIA .. "mp4" end,
  Pdf = function() return MEDIA .. "pdf" end,
  TimeSeries = _timeseries,
  Paragraphs = _paragraphs,
  Table = function() return {first = "1", second = "2"} end,
  List = function()
    return {{id = "1", title = "First", body = TEXT},
            {id = "2", title = "Second", body = "Another item."}}
  end,
  Chat = function()
    return {{role = "user", content = TEXT},
            {role = "assistant", content = "A reply."}}
  end,
}


local function _options()
  return {{value = "Option A"}, {value = "Option B"}}
end


--- Sample task data: a value for every `$variable`.
function M.task(cfg)
  local data = {}
  parse.walk(cfg.root, function(n)
    for _, attr in ipairs{"value", "valueList"} do
      local var = (n.attrs[attr] or ""):match("^%$([%w_%.%-]+)$")
      if var and data[var] == nil then
        local make = OBJECT[n.tag]
        if make then
          data[var] = make(n)
        elseif n.tag == "Choices" or n.tag == "Labels"
               or n.tag == "Taxonomy" or n.tag:find("Labels$") then
          data[var] = _options()
        else
          data[var] = TEXT
        end
      end
    end
  end)
  return data
end


local function _first_label(c)
  local list = results.label_values(c)
  if #list > 0 then return list[1] end
  if c.variable then return "Option A" end
  return nil
end


local function _span(cfg, c, label)
  local obj = cfg.objects[c.toName[1] or ""]
  local tag = obj and obj.tag
  if tag == "Text" then
    return {start = 0, ["end"] = 6, text = TEXT:sub(1, 6), label = label}
  elseif tag == "HyperText" then
    return {start = "/p[1]/text()[1]", ["end"] = "/p[1]/text()[1]",
            startOffset = 0, endOffset = 6, text = TEXT:sub(1, 6),
            label = label}
  elseif tag == "Paragraphs" then
    return {start = "0", ["end"] = "0", startOffset = 0, endOffset = 6,
            text = TEXT:sub(1, 6), label = label}
  end
  return {start = 0, ["end"] = 1, label = label}
end


local REGION = {
  rectangle = {x = 10, y = 10, width = 20, height = 20},
  polygon = {points = {{10, 10}, {30, 10}, {20, 30}}},
  keypoint = {x = 20, y = 20},
  ellipse = {x = 30, y = 30, radiusX = 10, radiusY = 5},
  timeline = {ranges = {{start = 1, ["end"] = 2}}},
}

local DATETIME = {date = "2024-01-01", time = "12:00", year = "2024",
                  month = "2024-01"}


local function _copy(t, label)
  local out = {label = label}
  for k, v in pairs(t) do out[k] = v end
  return out
end


--- A simple value for one control, or nil when it has none.
local function _value(cfg, c)
  local shape = results.shape_of(cfg, c)
  local label = _first_label(c)
  if shape == "choices" or shape == "taxonomy" then return label end
  if shape == "text" then return TEXT end
  if shape == "rating" then return 1 end
  if shape == "pairwise" then return "left" end
  if shape == "number" then
    return math.tointeger(tonumber(c.attrs.min) or 1) or 1
  end
  if shape == "datetime" then
    return DATETIME[c.attrs.only or ""] or "2024-01-01T12:00"
  end
  if shape == "span" then return _span(cfg, c, label) end
  if shape == "paired" then
    for _, geometry in ipairs{"rectangle", "polygon", "ellipse",
                               "keypoint"} do
      if results.partner(cfg, c, geometry) then
        return _copy(REGION[geometry], label)
      end
    end
    return nil
  end
  if REGION[shape] then return _copy(REGION[shape], label) end
  return nil
end


--- A sample prediction's result list: one result per control that has
-- a short form.
function M.result(cfg)
  local out = {}
  for _, c in ipairs(cfg.controls) do
    local v = not c.perRegion and cfg.objects[c.toName[1] or ""]
      and _value(cfg, c)
    if v ~= nil and v ~= false then
      for _, item in ipairs(results.for_control(cfg, c, v)) do
        out[#out + 1] = item
      end
    end
  end
  return out
end


return M
