--- Data Manager actions on a project's tasks.
--
-- Installs on `Project`: `get_actions`, `run_action`, and the Python
-- SDK's `delete_tasks`, `delete_all_tasks`,
-- `create_annotations_from_predictions`, with
-- `delete_tasks_predictions`, `delete_tasks_annotations`,
-- `predictions_to_annotations`, `retrieve_tasks_predictions` and
-- `remove_duplicates` for the other actions the server lists.
--
-- Caveats: the server reads an empty `included` list, or no
-- selection at all, as "every task". So `run_action` raises for an
-- empty selection, and only `{all = true}` acts on every task; the
-- list wrappers (`delete_tasks` and the like) answer an empty list
-- with `{processed_items = 0}` and send nothing, as Python does.
--
-- @module labelstudio.actions

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local log = require "labelstudio.log"
local Project = require("labelstudio.project").Project

local M = {}

local ACTIONS_PATH = "/api/dm/actions/"

-- The options every action takes; `run_action` passes any other key
-- on as the action's own parameter.
local SELECTION_OPTIONS = {"view", "filters", "ordering"}

-- The same, with `predictions_to_annotations`'s parameter.
local MODEL_VERSION_OPTIONS = {"view", "filters", "ordering",
                               "model_version"}


--- The `selectedItems` object for a selection; raises when empty.
local function _selected(selection)
  if type(selection) ~= "table" then
    errors.usage("a selection must be a list of task ids or"
                 .. " {all = true, excluded = {...}}, not "
                 .. type(selection))
  end
  if selection.all == true then
    local excluded = selection.excluded or {}
    errors.check(excluded, "table", "excluded")
    return {all = true, excluded = json.array(args.copy(excluded))}
  end
  local ids = selection.included or selection
  if ids[1] == nil then
    errors.usage("an empty selection selects no task (the server would"
                 .. " act on every task); pass {all = true} for all")
  end
  for i, id in ipairs(ids) do
    errors.check(id, "integer", ("task id %d"):format(i))
  end
  return {all = false, included = json.array(args.copy(ids))}
end


--- Lists the actions the server offers for the project.
-- @treturn {table,...} each `{id, title, order, permission, ...}`
function Project:get_actions()
  local _, data = self.client:_request("GET", ACTIONS_PATH, {
    query = {project = self.id},
  })
  return data
end


--- Runs a Data Manager action on a selection of tasks.
-- @tparam string action_id such as `"delete_tasks"`,
--   `"predictions_to_annotations"`; see `get_actions`
-- @tparam table selection a non-empty list of task ids, or
--   `{all = true, excluded = {ids}}` for every task but those
-- @tparam[opt] table opts `view` (a view id: its filters apply),
--   `filters`, `ordering`; any other key goes into the body as the
--   action's parameter (e.g. `model_version`)
-- @treturn table the server's answer, e.g. `{processed_items = n}`
-- @raise a misuse error for an empty selection; an `ApiError` for an
--   unknown action
-- @usage project:run_action("delete_tasks_annotations", {12, 13})
function Project:run_action(action_id, selection, opts)
  action_id, selection, opts = args.named(
    {"action_id", "selection", "opts"}, action_id, selection, opts)
  errors.check(action_id, "string", "action_id")
  opts = errors.check(opts or {}, "table", "run_action's options")
  local body = args.copy(opts, {view = true})
  body.selectedItems = _selected(selection)
  body.project = self.id
  local query = {project = self.id, id = action_id}
  if opts.view ~= nil then query.view = args.id(opts.view, "view") end
  local _, data = self.client:_request("POST", ACTIONS_PATH, {
    query = query, json = body, idempotent = false,
  })
  log.debug("action %s on project %d: %s", action_id, self.id,
            tostring(type(data) == "table" and data.processed_items))
  return data
end


--- A method running `action_id` on a list of task ids; an empty
-- list sends nothing. Its options must be in `known`.
local function _list_action(action_id, what, known)
  local names = {what, "opts", what = action_id, table_first = true,
                 flat = true}
  return function(self, task_ids, opts)
    task_ids, opts = args.named(names, task_ids, opts)
    errors.check(task_ids, "table", what)
    opts = args.options(opts, known or SELECTION_OPTIONS, action_id)
    if task_ids[1] == nil and next(task_ids) == nil then
      return {processed_items = 0}
    end
    return self:run_action(action_id, task_ids, opts)
  end
end


--- Deletes tasks by id; an empty list deletes nothing and sends
-- nothing.
-- @tparam {integer,...} task_ids
-- @treturn table `{processed_items = n}`
Project.delete_tasks = _list_action("delete_tasks", "task_ids")


--- Deletes every task of the project except `excluded_ids`.
-- @tparam[opt] {integer,...} excluded_ids tasks to keep
-- @treturn table `{processed_items = n}`
function Project:delete_all_tasks(excluded_ids)
  if type(excluded_ids) == "table" and excluded_ids[1] == nil then
    args.check_keys(excluded_ids, {"excluded_ids"}, "delete_all_tasks",
                    "argument")
  end
  excluded_ids = errors.check(args.one(excluded_ids, "excluded_ids") or {},
                              "table", "excluded_ids")
  for i, id in ipairs(excluded_ids) do
    errors.check(id, "integer", ("excluded_ids[%d]"):format(i))
  end
  return self:run_action("delete_tasks",
                         {all = true, excluded = excluded_ids})
end


--- Deletes the predictions of the listed tasks.
Project.delete_tasks_predictions = _list_action("delete_tasks_predictions",
                                                "task_ids")

--- Deletes the annotations of the listed tasks.
Project.delete_tasks_annotations = _list_action("delete_tasks_annotations",
                                                "task_ids")

--- Asks the project's ML backend for predictions on the listed tasks.
Project.retrieve_tasks_predictions = _list_action(
  "retrieve_tasks_predictions", "task_ids")

--- Removes duplicate tasks among the listed ones.
Project.remove_duplicates = _list_action("remove_duplicates", "task_ids")

--- Turns the predictions of the listed tasks into annotations;
-- `opts.model_version` (a string or a list) picks whose.
Project.predictions_to_annotations = _list_action(
  "predictions_to_annotations", "task_ids", MODEL_VERSION_OPTIONS)


--- Turns every task's predictions into annotations.
-- @tparam[opt] string|{string,...} model_versions only predictions of
--   these model versions (default: all)
-- @treturn table `{processed_items = n}`
function Project:create_annotations_from_predictions(model_versions)
  if type(model_versions) == "table" and model_versions[1] == nil
     and next(model_versions) ~= nil then
    model_versions = model_versions.model_versions
  end
  if type(model_versions) == "table" then
    model_versions = json.array(args.copy(model_versions))
  elseif model_versions ~= nil then
    errors.check(model_versions, "string|table", "model_versions")
  end
  return self:run_action("predictions_to_annotations", {all = true}, {
    model_version = model_versions or json.null,
    filters = {conjunction = "and", items = json.array{}},
    ordering = json.array{},
  })
end

return M
