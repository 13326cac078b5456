--- Label configs: parse, validate offline, build and check results.
--
-- The labeling config (XML) decides what every prediction and
-- annotation must look like. This module reads it into a model a script
-- can use, and writes results the short way:
--
--     local lc = require "labelstudio.label_config"
--     local cfg = lc.parse(xml)
--     cfg:result_from("Positive")       -- the one control listing it
--     cfg:result_from{x = 10, y = 20, width = 30, height = 40,
--                     label = "Dog"}    -- the rectangle control with Dog
--     cfg:results{sentiment = "Positive", summary = "short"}
--
-- Caveats: a config over 1 MiB or with a DOCTYPE or entity declaration
-- is refused before parsing. Names follow the Python SDK's
-- `label_interface` where it has one (`get_control`, `get_object`,
-- `create_regions`).
-- @module labelstudio.label_config

local parse = require "labelstudio.label_config.parse"
local results = require "labelstudio.label_config.results"
local validate = require "labelstudio.label_config.validate"
local check = require "labelstudio.label_config.check"
local sample = require "labelstudio.label_config.sample"

local M = {}

--- The largest config accepted, in bytes.
M.MAX_BYTES = parse.MAX_BYTES

local Config = {}
Config.__index = Config
M.Config = Config


--- Wraps `fn` so that misuse inside it raises at the caller's line.
local function _api(fn)
  return function(...)
    local r = table.pack(pcall(fn, ...))
    if r[1] then return table.unpack(r, 2, r.n) end
    local e = r[2]
    if type(e) == "table" and e.misuse then error(e.message, 2) end
    error(e, 0)
  end
end


local function _check_self(self)
  if getmetatable(self) ~= Config then
    results.fail("call methods with ':' on a parsed config")
  end
end


--- Parses a label config.
-- @tparam string xml the config
-- @treturn Config the model: `objects` and `controls` (lists that are
--   also keyed by name), `root` (the XML tree) and `xml`
-- @raise on a non-string, an oversized config, a DOCTYPE or entity
--   declaration, or malformed XML (the message gives line and column)
-- @usage local cfg = lc.parse('<View><Text name="t" value="$text"/></View>')
M.parse = _api(function(xml)
  if type(xml) ~= "string" then
    results.fail("parse: config must be a string, got %s", type(xml))
  end
  local root, msg, line, column = parse.tree(xml)
  if not root then
    results.fail("parse: %s at line %d, column %d", msg, line, column)
  end
  local model = parse.model(root)
  model.xml = xml
  return setmetatable(model, Config)
end)


--- Validates a config offline, as the server would.
-- Errors are what Label Studio's `/api/projects/validate/` rejects;
-- warnings are stricter findings (an unknown tag, a labels control
-- without labels, a `toName` naming no object tag).
-- @tparam string xml the config
-- @treturn boolean true when there is no error
-- @treturn table problems, each `{severity, message, line, column}`
-- @usage local ok, problems = lc.validate(xml)
function M.validate(xml)
  return validate.validate(xml)
end


--- The control named `name`, or nil.
function Config:get_control(name)
  return self.controls[name]
end


--- The object tag named `name`, or nil.
function Config:get_object(name)
  return self.objects[name]
end


--- The control or object tag named `name`, or nil.
function Config:get_tag(name)
  return self.controls[name] or self.objects[name]
end


--- Labels of every labelled control, keyed by control name.
function Config:get_all_labels()
  local out = {}
  for _, c in ipairs(self.controls) do
    out[c.name] = results.label_values(c)
  end
  return out
end


--- Result items for one control from a simple value.
-- @string name the control's name
-- @param value a label or list of labels, a region table (or a list of
--   them), a text, a number, as the control takes
-- @treturn table a list of result items
-- @raise naming the control, the value and the valid choices
-- @usage cfg:result("label", {x=1, y=2, width=3, height=4, label="Dog"})
Config.result = _api(function(self, name, value)
  _check_self(self)
  local c = self.controls[name]
  if not c then
    local names = {}
    for i, x in ipairs(self.controls) do names[i] = x.name end
    results.fail("no control named %q; controls: %s", tostring(name),
                 results.quoted(names))
  end
  return results.for_control(self, c, value)
end)


--- Result items for many controls at once.
-- @tparam table values simple values keyed by control name
-- @treturn table a list of result items, in config order
-- @usage cfg:results{sentiment = "Positive", summary = "Short text"}
Config.results = _api(function(self, values)
  _check_self(self)
  if type(values) ~= "table" then
    results.fail("results: values must be a table keyed by control "
                 .. "name, got %s", type(values))
  end
  return results.for_controls(self, values)
end)

--- The Python SDK's name for `results`.
Config.create_regions = Config.results


--- A full result list from a simple prediction value.
-- A full result list is returned as is, and an empty table as an
-- empty list (`json.array`, so it encodes as `[]`); a label string
-- picks the one Choices or Taxonomy control that lists it, else the
-- one TextArea; a region table (`x, y, width, height` and `label`, or
-- `points`, or `start, end`...) picks the control of that shape whose
-- labels include the label; a number picks the one Rating or Number
-- control; a value payload such as `{choices = {"Cat"}}` or
-- `{rectanglelabels = {"Dog"}, x = 10, y = 20, width = 30, height = 40}`
-- becomes the `value` of the one control with that value key (several
-- such controls are an error naming them, where the server would take
-- the first).
-- @param value the simple value
-- @treturn table a list of result items
-- @raise when nothing or more than one control fits, naming the
--   candidates or the valid labels
-- @usage cfg:result_from{x=10, y=20, width=30, height=40, label={"Dog"}}
Config.result_from = _api(function(self, value)
  _check_self(self)
  return results.from(self, value)
end)


--- Checks a full result list against the config before it is sent.
-- Finds unknown controls, a wrong `to_name` or `type`, unknown labels
-- (unless the control allows new ones), values of the wrong kind and
-- coordinates out of range.
-- @tparam table list result items
-- @treturn boolean true when nothing is wrong
-- @treturn table problems, each `{index, from_name, message}`
-- @usage local ok, problems = cfg:check(prediction.result)
function Config:check(list)
  return check.check(self, list)
end


--- Sample task data: a value for every `$variable` of the config.
-- @treturn table the task's `data`
-- @usage project:import_tasks({{data = cfg:sample_task()}})
function Config:sample_task()
  return sample.task(self)
end

--- The Python SDK's name for `sample_task`.
Config.generate_sample_task = Config.sample_task


--- A sample prediction: one result per control that has a short form.
-- @treturn table `{result = {...}, score = 0.5, model_version = "sample"}`
function Config:sample_prediction()
  return {result = sample.result(self), score = 0.5,
          model_version = "sample"}
end

--- The Python SDK's name for `sample_prediction`.
Config.generate_sample_prediction = Config.sample_prediction


return M
