--- Reads a label config's XML into a tree and the tree into a model.
--
-- The tree: nodes `{tag, attrs, order, children, parts, parent, line,
-- column, text}`; `order` lists attribute names as written, `parts`
-- holds text and child nodes interleaved, `text` all text directly in
-- the node.
-- The model: object tags and control tags with their names, `toName`
-- lists, labels and nesting, as `labelstudio.label_config` hands them
-- to scripts.
--
-- Caveats: a config over `MAX_BYTES` or with a DOCTYPE or entity
-- declaration is refused before expat sees it, so entities are never
-- expanded. Namespaces are not interpreted: `a:b` is a tag named `a:b`.
-- @module labelstudio.label_config.parse

local lxp = require "lxp"
local tags = require "labelstudio.label_config.tags"

local M = {}

--- The largest config read, in bytes (1 MiB).
M.MAX_BYTES = 1024 * 1024


--- Refusals that happen before parsing: size and declarations.
-- @return nil, or a message
local function _refuse(xml)
  if #xml > M.MAX_BYTES then
    return string.format("config is %d bytes, over the %d byte limit",
                         #xml, M.MAX_BYTES)
  end
  local upper = xml:upper()
  if upper:find("<!DOCTYPE", 1, true) then
    return "config has a DOCTYPE declaration, which is not allowed"
  end
  if upper:find("<!ENTITY", 1, true) then
    return "config has an entity declaration, which is not allowed"
  end
  return nil
end


local function _attrs(list)
  local attrs, order = {}, {}
  for i, name in ipairs(list) do
    attrs[name] = list[name]
    order[i] = name
  end
  return attrs, order
end


--- Parses XML text into a tree of nodes.
-- @tparam string xml the config
-- @return the root node, or nil, message, line, column
function M.tree(xml)
  if type(xml) ~= "string" then
    return nil, "config must be a string, got " .. type(xml), 1, 1
  end
  local refused = _refuse(xml)
  if refused then return nil, refused, 1, 1 end

  -- An XML declaration after leading white space is malformed; the
  -- server strips the field first, so do the same and keep line numbers.
  local lead = xml:match("^%s+<%?xml") and xml:match("^%s*") or ""
  local shift = select(2, lead:gsub("\n", ""))
  xml = xml:sub(#lead + 1)

  local root, current
  local callbacks = {}
  function callbacks.StartElement(p, name, list)
    local line, column = p:pos()
    local attrs, order = _attrs(list)
    local node = {tag = name, attrs = attrs, order = order, children = {},
                  parts = {}, parent = current, line = line + shift,
                  column = column, text = ""}
    if current then
      current.children[#current.children + 1] = node
      current.parts[#current.parts + 1] = node
    else
      root = node
    end
    current = node
  end
  function callbacks.EndElement()
    current = current.parent
  end
  function callbacks.CharacterData(_, s)
    if current then
      current.text = current.text .. s
      current.parts[#current.parts + 1] = s
    end
  end

  local p = lxp.new(callbacks)
  local ok, msg, line, column = p:parse(xml)
  if ok then ok, msg, line, column = p:parse() end
  pcall(p.close, p)
  if not ok then return nil, msg, (line or 1) + shift, column or 1 end
  return root
end


--- Calls `fn(node, depth)` for every node below `node`, document order.
function M.walk(node, fn, depth)
  depth = depth or 0
  fn(node, depth)
  for _, child in ipairs(node.children) do
    M.walk(child, fn, depth + 1)
  end
end


local function _split_names(s)
  local names = {}
  for name in (s or ""):gmatch("[^,]+") do
    names[#names + 1] = name:match("^%s*(.-)%s*$")
  end
  return names
end


local function _truthy(s)
  return s == "true" or s == "True" or s == "1"
end


--- Nearest ancestor of `node` that is a control tag, or nil.
local function _owner(node)
  local p = node.parent
  while p do
    if tags.CONTROLS[p.tag] then return p end
    p = p.parent
  end
  return nil
end


--- Path of choice values from the control down to `node` (Taxonomy).
local function _path(node, owner)
  local path = {}
  local n = node
  while n and n ~= owner do
    if tags.LABEL_TAGS[n.tag] then
      table.insert(path, 1, n.attrs.alias or n.attrs.value)
    end
    n = n.parent
  end
  return path
end


local function _label(node, owner)
  local attrs = {}
  for k, v in pairs(node.attrs) do attrs[k] = v end
  return {tag = node.tag, value = node.attrs.value,
          alias = node.attrs.alias, attrs = attrs,
          path = _path(node, owner), line = node.line,
          column = node.column}
end


--- Conditions under which a tag shows: its own and its ancestors'.
local function _conditions(node)
  local list = {}
  local n = node
  while n do
    local a = n.attrs
    if a.visibleWhen or a.whenTagName then
      table.insert(list, 1, {tag = n.tag, name = a.name,
        visibleWhen = a.visibleWhen, whenTagName = a.whenTagName,
        whenChoiceValue = a.whenChoiceValue,
        whenLabelValue = a.whenLabelValue})
    end
    n = n.parent
  end
  return list
end


local function _object(node)
  local value = node.attrs.value or node.attrs.valueList
  return {kind = "object", tag = node.tag, name = node.attrs.name,
          value = value,
          variable = value and value:match("^%$([%w_%.%-]+)$"),
          attrs = node.attrs, node = node, line = node.line,
          column = node.column}
end


local function _control(node)
  local a = node.attrs
  local spec = tags.CONTROLS[node.tag]
  local value = a.value
  return {kind = "control", tag = node.tag, name = a.name,
          type = node.tag:lower(), key = spec.key, shape = spec.shape,
          toName = _split_names(a.toName), value = value,
          variable = value and value:match("^%$([%w_%.%-]+)$"),
          labels = {}, perRegion = _truthy(a.perRegion),
          visibleWhen = a.visibleWhen, whenTagName = a.whenTagName,
          whenChoiceValue = a.whenChoiceValue,
          whenLabelValue = a.whenLabelValue,
          conditions = _conditions(node), attrs = a, node = node,
          line = node.line, column = node.column}
end


local function _add_named(list, item)
  list[#list + 1] = item
  if item.name and list[item.name] == nil then list[item.name] = item end
end


--- Builds the model of a parsed tree.
-- @return `{root, objects, controls, tags}`; `objects` and `controls`
--   are lists that are also keyed by name
function M.model(root)
  local objects, controls, by_node = {}, {}, {}
  M.walk(root, function(node)
    if tags.CONTROLS[node.tag] then
      local c = _control(node)
      by_node[node] = c
      _add_named(controls, c)
    elseif tags.OBJECTS[node.tag] then
      _add_named(objects, _object(node))
    elseif tags.LABEL_TAGS[node.tag] then
      local owner = _owner(node)
      local c = owner and by_node[owner]
      if c then c.labels[#c.labels + 1] = _label(node, owner) end
    end
  end)
  for _, c in ipairs(controls) do
    local parent = _owner(c.node)
    c.parent = parent and by_node[parent]
  end
  return {root = root, objects = objects, controls = controls}
end


return M
