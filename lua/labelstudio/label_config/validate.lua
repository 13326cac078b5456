--- Offline validation of a label config, as Label Studio 1.23 does it.
--
-- Errors are what the server's `/api/projects/validate/` rejects, found
-- the way it finds them: the XML must parse without a DTD; the config,
-- turned into BadgerFish JSON (attribute values read as booleans and
-- numbers where they look like them), must meet the server's JSON
-- schema; `name="..."` values must be unique and every `toName="..."`
-- part must be one of them, both found by pattern in the re-serialized
-- XML; Video playback speeds must be numbers in range. Warnings are
-- stricter findings the server lets through.
--
-- Caveats: messages are lsrun's own, not the server's words. A config
-- over 1 MiB is refused here before parsing, whatever the server would
-- say. An element named `comment` makes the server fail with a 500;
-- it is reported as an error.
-- @module labelstudio.label_config.validate

local parse = require "labelstudio.label_config.parse"
local tags = require "labelstudio.label_config.tags"

local M = {}

local MIN_SPEED, MAX_SPEED = 0.05, 10
local LIST = {}  -- metatable marking BadgerFish lists


local function _problem(list, severity, node, fmt, ...)
  list[#list + 1] = {severity = severity, message = fmt:format(...),
                     line = node and node.line or 1,
                     column = node and node.column or 1}
end


-- ------------------------------------------------ BadgerFish and types ---

local function _strip(s)
  return s:match("^%s*(.-)%s*$")
end


--- Python's float() pattern after strip and underscores, or nil.
local function _py_number(s)
  s = _strip(s)
  if s:find("_", 1, true) then
    if s:find("[^%d]_") or s:find("_[^%d]") or s:find("^_")
       or s:find("_$") then
      return nil
    end
    s = s:gsub("_", "")
  end
  if s:match("^[+-]?%d+$") then return "int" end
  local ok = s:match("^[+-]?%d+%.?%d*$") or s:match("^[+-]?%.%d+$")
    or s:match("^[+-]?%d+%.?%d*[eE][+-]?%d+$")
    or s:match("^[+-]?%.%d+[eE][+-]?%d+$")
  if ok then
    local n = tonumber(s)
    if n and n == n and n > -math.huge and n < math.huge then
      return "float"
    end
  end
  return nil
end


--- The JSON type xmljson gives an XML string: boolean, number, string.
function M.xml_type(s)
  local low = s:lower()
  if low == "true" or low == "false" then return "boolean" end
  if _py_number(s) then return "number" end
  return "string"
end


--- The BadgerFish view of a node: `{["@a"] = s, ["$"] = s, Tag = v}`,
-- where `v` is a child's view or a LIST of views.
local function _badgerfish(node)
  local d = {}
  for _, k in ipairs(node.order) do d["@" .. k] = node.attrs[k] end
  local lead = node.parts[1]
  if type(lead) == "string" and lead:find("%S") then d["$"] = lead end
  local count = {}
  for _, child in ipairs(node.children) do
    count[child.tag] = (count[child.tag] or 0) + 1
  end
  for _, child in ipairs(node.children) do
    local v = _badgerfish(child)
    v[LIST] = child
    if count[child.tag] == 1 then
      d[child.tag] = v
    else
      d[child.tag] = d[child.tag] or setmetatable({}, LIST)
      table.insert(d[child.tag], v)
    end
  end
  return d
end


local function _is_list(v)
  return getmetatable(v) == LIST
end


--- The server's `_fix_choices`: a single Choice becomes a list, only
-- for Choices directly in a View reached from the root through Views.
local function _fix_choices(d)
  local ch = d.Choices
  if ch and not _is_list(ch) and ch.Choice and not _is_list(ch.Choice) then
    ch.Choice = setmetatable({ch.Choice}, LIST)
  elseif ch and _is_list(ch) then
    local all = true
    for _, one in ipairs(ch) do
      if one.Choice == nil then all = false end
    end
    for _, one in ipairs(all and ch or {}) do
      if not _is_list(one.Choice) then
        one.Choice = setmetatable({one.Choice}, LIST)
      end
    end
  end
  if d.View then
    for _, v in ipairs(_is_list(d.View) and d.View or {d.View}) do
      _fix_choices(v)
    end
  end
end


-- ----------------------------------------------------- schema checks ---

local DEF = {}

local function _each(v, def, path, out)
  for _, one in ipairs(_is_list(v) and v or {v}) do
    DEF[def](one, path, out)
  end
end


local function _string(d, key, path, out)
  local v = d[key]
  if v ~= nil and M.xml_type(v) ~= "string" then
    local what = key == "$" and "text" or key:sub(2)
    _problem(out, "error", d[LIST], "%s: %s %q is read as a %s, "
             .. "and the server wants a string", path, what, v,
             M.xml_type(v))
  end
end


local function _required(d, keys)
  for _, k in ipairs(keys) do
    if d[k] == nil then return false, k end
  end
  return true
end


function DEF.tag_with_value(d, path, out)
  if d["@value"] == nil then
    _problem(out, "error", d[LIST], "%s: attribute value is required",
             path)
  end
  _string(d, "$", path, out)
end


function DEF.object(d, path, out)
  local a = d["@name"] ~= nil and d["@value"] ~= nil
  local b = d["@name"] ~= nil and d["@valueList"] ~= nil
  if a == b then
    _problem(out, "error", d[LIST], "%s: needs name and exactly one "
             .. "of value and valueList", path)
  end
  _string(d, "$", path, out)
end


local function _named(d, path, out, alternatives)
  local ok, missing = _required(d, {"@name", "@toName"})
  if not ok then
    _problem(out, "error", d[LIST], "%s: attribute %s is required",
             path, missing:sub(2))
  elseif alternatives then
    local any = false
    for _, k in ipairs(alternatives) do
      if d[k] ~= nil then any = true end
    end
    if not any then
      _problem(out, "error", d[LIST], "%s: needs %s children, a value "
               .. "or a nested View", path, alternatives[1])
    end
  end
  _string(d, "@name", path, out)
  _string(d, "@toName", path, out)
  _string(d, "$", path, out)
end


function DEF.name_and_toname(d, path, out)
  _named(d, path, out)
end


function DEF.Choices(d, path, out)
  _named(d, path, out, {"Choice", "@value", "View"})
  if d.Choice ~= nil and not _is_list(d.Choice) then
    _problem(out, "error", d.Choice[LIST], "%s/Choice: a single Choice "
             .. "here is not a list, and the server rejects it", path)
  elseif d.Choice ~= nil then
    _each(d.Choice, "tag_with_value", path .. "/Choice", out)
  end
  if d.View ~= nil then _each(d.View, "View", path .. "/View", out) end
end


function DEF.Labels(d, path, out)
  _named(d, path, out, {"Label", "@value", "View"})
  if d.Label ~= nil then
    _each(d.Label, "tag_with_value", path .. "/Label", out)
  end
  if d.View ~= nil then _each(d.View, "View", path .. "/View", out) end
end


local VIEW_PROPS = {
  {"Labels", "Labels"}, {"Choices", "Choices"}, {"View", "View"},
  {"Image", "object"}, {"Text", "object"}, {"HyperText", "object"},
  {"TextArea", "name_and_toname"}, {"Number", "name_and_toname"},
}
local NESTED_PROPS = {{"Label", "tag_with_value"},
                      {"Choice", "tag_with_value"}}


local function _view(d, path, out, nested)
  for _, p in ipairs(VIEW_PROPS) do
    if d[p[1]] ~= nil then _each(d[p[1]], p[2], path .. "/" .. p[1], out) end
  end
  for _, p in ipairs(nested and NESTED_PROPS or {}) do
    if d[p[1]] ~= nil then _each(d[p[1]], p[2], path .. "/" .. p[1], out) end
  end
end


function DEF.View(d, path, out)
  _view(d, path, out, true)
end


local function _schema(root, out)
  if root.tag ~= "View" then return end
  local d = _badgerfish(root)
  d[LIST] = root
  _fix_choices({View = d})
  _view(d, "View", out, false)
end


-- --------------------------------------------- names, as the server ---

local function _escape(s, attr)
  s = s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;")
  if attr then
    s = s:gsub('"', "&quot;"):gsub("\r", "&#13;"):gsub("\n", "&#10;")
      :gsub("\t", "&#09;")
  end
  return s
end


--- The node as ElementTree writes it (comments dropped).
local function _serialize(node, buf)
  buf[#buf + 1] = "<" .. node.tag
  for _, k in ipairs(node.order) do
    buf[#buf + 1] = " " .. k .. '="' .. _escape(node.attrs[k], true) .. '"'
  end
  if #node.parts == 0 then
    buf[#buf + 1] = " />"
    return buf
  end
  buf[#buf + 1] = ">"
  for _, part in ipairs(node.parts) do
    if type(part) == "string" then
      buf[#buf + 1] = _escape(part)
    else
      _serialize(part, buf)
    end
  end
  buf[#buf + 1] = "</" .. node.tag .. ">"
  return buf
end


local function _node_named(root, attr, value)
  local found
  parse.walk(root, function(n)
    if not found and n.attrs[attr] and _escape(n.attrs[attr], true)
       :find(value, 1, true) then
      found = n
    end
  end)
  return found or root
end


local function _names(root, out)
  local text = table.concat(_serialize(root, {}))
  local names, seen = {}, {}
  for name in text:gmatch('name="([^"]*)"') do
    if seen[name] then
      local dup
      parse.walk(root, function(n)
        if _escape(n.attrs.name or "", true) == name then dup = n end
      end)
      _problem(out, "error", dup or root, "name %q is used more than "
               .. "once; names must be unique", name)
    end
    seen[name] = true
    names[#names + 1] = name
  end
  table.sort(names)
  for to in text:gmatch('toName="([^"]*)"') do
    for part in (to .. ","):gmatch("([^,]*),") do
      if not seen[part] then
        _problem(out, "error", _node_named(root, "toName", to),
                 "toName %q names no tag; names: %s", part,
                 table.concat(names, ", "))
      end
    end
  end
end


-- -------------------------------------------------- other server rules ---

local function _video(root, out)
  parse.walk(root, function(node)
    local a = node.attrs
    if node.tag:lower() ~= "video" or not a.name or a.name == ""
       or not ((a.value or "") ~= "" or (a.valueList or "") ~= "")
       or a.toName then
      return
    end
    local speeds = {}
    for _, k in ipairs{"defaultPlaybackSpeed", "minPlaybackSpeed"} do
      local raw = a[k]
      if raw then
        local low = _strip(raw):lower()
        local n = _py_number(raw) and tonumber((_strip(raw):gsub("_", "")))
        if not n and (low == "nan" or low:match("^[+-]?inf")) then
          n = 0 / 0
        end
        if not n then
          _problem(out, "error", node,
                   'Video "%s": %s must be a number, got %q', a.name, k, raw)
        elseif not (n >= MIN_SPEED and n <= MAX_SPEED) then
          _problem(out, "error", node, 'Video "%s": %s must be between %s '
                   .. "and %s, got %s", a.name, k, MIN_SPEED, MAX_SPEED,
                   raw)
        else
          speeds[k] = n
        end
      end
    end
    if speeds.minPlaybackSpeed and speeds.defaultPlaybackSpeed
       and speeds.minPlaybackSpeed > speeds.defaultPlaybackSpeed then
      _problem(out, "error", node, 'Video "%s": minPlaybackSpeed must not '
               .. "exceed defaultPlaybackSpeed", a.name)
    end
  end)
end


local function _comment_tag(root, out)
  parse.walk(root, function(n)
    if n.tag == "comment" then
      _problem(out, "error", n, "an element named <comment> makes the "
               .. "server fail (500)")
    end
  end)
end


-- ----------------------------------------------------------- warnings ---

local function _known(tag)
  return tags.OBJECTS[tag] or tags.CONTROLS[tag] or tags.OTHERS[tag]
end


local function _warnings(model, out)
  local root = model.root
  if root.tag ~= "View" then
    _problem(out, "warning", root, "the root tag is <%s>, not <View>",
             root.tag)
  end
  parse.walk(root, function(n)
    if not _known(n.tag) then
      _problem(out, "warning", n, "unknown tag <%s>", n.tag)
    end
  end)
  for _, c in ipairs(model.controls) do
    if not c.name then
      _problem(out, "warning", c, "<%s> has no name", c.tag)
    end
    if tags.CONTROLS[c.tag].labelled and #c.labels == 0
       and not c.variable and c.tag ~= "Relations" then
      _problem(out, "warning", c, "<%s name=%q> has no labels", c.tag,
               tostring(c.name))
    end
    for _, to in ipairs(c.toName) do
      if not model.objects[to] then
        _problem(out, "warning", c, "<%s name=%q> toName %q is not an "
                 .. "object tag", c.tag, tostring(c.name), to)
      end
    end
    if c.name and #c.toName == 0 and c.tag ~= "Relations" then
      _problem(out, "warning", c, "<%s name=%q> has no toName", c.tag,
               c.name)
    end
  end
  for _, o in ipairs(model.objects) do
    if not o.name or not o.value then
      _problem(out, "warning", o, "<%s> needs name and value", o.tag)
    end
  end
end


--- Validates a config.
-- @tparam string xml the config
-- @treturn boolean true when there is no error (warnings allowed)
-- @treturn table problems `{severity, message, line, column}`, errors
--   first, each group in document order
function M.validate(xml)
  local out = {}
  if type(xml) ~= "string" then
    _problem(out, "error", nil, "config must be a string, got %s", type(xml))
    return false, out
  end
  if not xml:find("%S") then
    _problem(out, "error", nil, "config is empty")
    return false, out
  end
  local root, msg, line, column = parse.tree(xml)
  if not root then
    out[1] = {severity = "error", message = msg, line = line,
              column = column}
    return false, out
  end
  _schema(root, out)
  _names(root, out)
  _video(root, out)
  _comment_tag(root, out)
  local errors = #out
  _warnings(parse.model(root), out)
  return errors == 0, out
end


return M
