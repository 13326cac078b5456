--- Data Manager views (the tabs of a project's task table).
--
-- Installs on `Project`: `get_views`, `get_view`, `create_view`,
-- `update_view`, `delete_view`, `delete_all_views`.
--
-- @module labelstudio.views

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local resource = require "labelstudio.resource"
local Project = require("labelstudio.project").Project

local M = {}

local VIEWS_PATH = "/api/dm/views/"
local VIEWS = resource.new(VIEWS_PATH, "view_id")


local function _ordering(ordering)
  if ordering == nil then return json.array{} end
  if type(ordering) == "string" then ordering = {ordering} end
  errors.check(ordering, "table", "ordering")
  return json.array(args.copy(ordering))
end


local CREATE_ARGS = {"filters", "ordering", "title", what = "create_view"}


--- The project's views.
-- @treturn {table,...} each `{id, project, data = {title, filters,
--   ordering, ...}, ...}`
function Project:get_views()
  local _, data = self.client:_request("GET", VIEWS_PATH, {
    query = {project = self.id},
  })
  return data
end


--- Gets one view.
-- @tparam integer view_id
function Project:get_view(view_id)
  return VIEWS:get(self.client, view_id)
end


--- Creates a view.
-- @tparam[opt] table filters from `data_manager.Filters.create`, or
--   all arguments by name (`{filters = ..., ordering = ..., title =
--   ...}`)
-- @tparam[opt] string|{string,...} ordering such as `"-tasks:id"`
-- @tparam[opt] string title default `"Tasks"`
-- @treturn table the view JSON, with its `id`
-- @raise a misuse error for an unknown argument by name
-- @usage project:create_view(F.create(F.AND, {...}), nil, "Dogs")
function Project:create_view(filters, ordering, title)
  if type(filters) == "table" and filters.conjunction == nil
     and filters.items == nil then
    filters, ordering, title = args.named(CREATE_ARGS, filters, ordering,
                                          title)
  end
  if filters ~= nil then errors.check(filters, "table", "filters") end
  title = errors.check(title or "Tasks", "string", "title")
  local _, data = self.client:_request("POST", VIEWS_PATH, {
    json = {project = self.id, data = {
      title = title, ordering = _ordering(ordering),
      filters = filters or {conjunction = "and", items = json.array{}},
    }},
    idempotent = false,
  })
  return data
end


--- Changes a view. Its `data` is replaced as a whole by the server:
-- give every part you want to keep.
-- @tparam integer view_id
-- @tparam table data `{title = ..., filters = ..., ordering = ...}`
-- @treturn table the view JSON after the change
function Project:update_view(view_id, data)
  if type(view_id) == "table" and data == nil then
    view_id, data = view_id.view_id, view_id.data
  end
  errors.check(data, "table", "the view's data")
  local body = args.copy(data)
  if body.ordering ~= nil then body.ordering = _ordering(body.ordering) end
  return VIEWS:update(self.client, view_id,
                      {project = self.id, data = body})
end


--- Deletes one view.
-- @tparam integer view_id
function Project:delete_view(view_id)
  VIEWS:delete(self.client, args.one(view_id, "view_id"))
end


--- Deletes every view of the project.
function Project:delete_all_views()
  self.client:_request("DELETE", VIEWS_PATH .. "reset/", {
    query = {project = self.id},
  })
end

return M
