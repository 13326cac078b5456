--- More task and project calls: update and delete tasks, labeled and
-- unlabeled tasks, prediction coverage, label config validation, and
-- `Client:delete_all_projects`.
--
-- Installs on `Project`: `update_task`, `delete_task`,
-- `get_labeled_tasks`, `get_labeled_tasks_ids`, `get_unlabeled_tasks`,
-- `get_unlabeled_tasks_ids`, `get_predictions_coverage`,
-- `validate_label_config`; on `Client`: `delete_all_projects`,
-- `validate_label_config`. Bulk deletes are in `labelstudio.actions`.
--
-- Caveats: `delete_all_projects` deletes every project the key can
-- see, one request each, and stops at the first failure.
-- `update_task` sends any field (Python's `**kwargs`; the task's
-- fields differ between servers and editions), and warns through
-- `labelstudio.log` about each one the server's answer lacks: the
-- server dropped it.
--
-- @module labelstudio.tasks

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local dm = require "labelstudio.data_manager"
local log = require "labelstudio.log"
local resource = require "labelstudio.resource"
local Client = require("labelstudio.client").Client
local Project = require("labelstudio.project").Project

local M = {}


local TASKS = resource.new("/api/tasks/", "task_id")


--- Warns about each key of `sent` that the server's answer lacks.
local function _warn_dropped(what, sent, echoed)
  if type(echoed) ~= "table" then return end
  local dropped = {}
  for k in pairs(sent) do
    if echoed[k] == nil then dropped[#dropped + 1] = tostring(k) end
  end
  table.sort(dropped)
  for _, k in ipairs(dropped) do
    log.warn("%s: the server ignored '%s' (not a field it knows)", what, k)
  end
end


--- Changes a task's fields.
-- @tparam integer task_id
-- @tparam table fields e.g. `{data = {...}, meta = {...}}`
-- @treturn table the task JSON after the change; a field the answer
--   lacks was dropped by the server, and is warned about
-- @usage project:update_task(id, {data = {text = "fixed"}})
function Project:update_task(task_id, fields)
  task_id, fields = args.split(task_id, fields, "task_id")
  task_id = args.id(task_id, "task_id")
  errors.check(fields, "table", "update_task's fields")
  local data = TASKS:update(self.client, task_id, fields)
  _warn_dropped("update_task", fields, data)
  return data
end


--- Deletes one task.
-- @tparam integer task_id
function Project:delete_task(task_id)
  TASKS:delete(self.client, args.id(args.one(task_id, "task_id"),
                                     "task_id"))
end


local function _completed(empty)
  local F = dm.Filters
  return F.create(F.AND, {F.item(dm.Column.completed_at, dm.Operator.EMPTY,
                                 dm.Type.Datetime, empty)})
end


local function _only_ids(only_ids)
  if type(only_ids) == "table" then only_ids = only_ids.only_ids end
  if only_ids ~= nil then errors.check(only_ids, "boolean", "only_ids") end
  return only_ids or false
end


--- The tasks that have at least one annotation.
-- @tparam[opt] boolean only_ids give ids instead of tasks
-- @treturn {table,...}
function Project:get_labeled_tasks(only_ids)
  return self:get_tasks{filters = _completed(false),
                        only_ids = _only_ids(only_ids)}
end


--- The ids of the tasks that have at least one annotation.
function Project:get_labeled_tasks_ids()
  return self:get_labeled_tasks(true)
end


--- The tasks that have no annotation.
-- @tparam[opt] boolean only_ids give ids instead of tasks
function Project:get_unlabeled_tasks(only_ids)
  return self:get_tasks{filters = _completed(true),
                        only_ids = _only_ids(only_ids)}
end


--- The ids of the tasks that have no annotation.
function Project:get_unlabeled_tasks_ids()
  return self:get_unlabeled_tasks(true)
end


--- The share of tasks each model version has predictions for.
-- @treturn table `{[model_version] = fraction}`, empty for a project
--   without tasks
function Project:get_predictions_coverage()
  local versions = self:get_model_versions()
  local n = self:get_params().task_number or 0
  local out = {}
  if n == 0 then return out end
  for version, count in pairs(versions or {}) do
    out[version] = count / n
  end
  return out
end


--- Validates a label config for this project on the server: the
-- config must also fit the project's existing annotations.
-- @tparam string label_config the XML
-- @tparam[opt] table opts `offline = true` checks it here with
--   `label_config.validate` instead, without a request
-- @treturn table the server's answer
--   (`config_essential_data_has_changed`); offline, `{ok, problems}`
-- @raise an `ApiError` (400) for a config the server refuses
function Project:validate_label_config(label_config, opts)
  label_config, opts = args.named({"label_config", "opts"},
                                  label_config, opts)
  errors.check(label_config, "string", "label_config")
  opts = args.options(opts, {"offline"}, "validate_label_config")
  if opts.offline then
    local ok, problems = require("labelstudio.label_config")
      .validate(label_config)
    return {ok = ok, problems = problems}
  end
  local _, data = self.client:_request("POST",
    ("/api/projects/%d/validate/"):format(self.id),
    {json = {label_config = label_config}, idempotent = true})
  return data
end


--- Validates a label config on the server, outside any project.
-- @tparam string label_config the XML
-- @treturn boolean true
-- @raise an `ApiError` (400) whose `validation_errors.label_config`
--   says what is wrong
function Client:validate_label_config(label_config)
  label_config = args.one(label_config, "label_config")
  errors.check(label_config, "string", "label_config")
  self:_request("POST", "/api/projects/validate/", {
    json = {label_config = label_config}, idempotent = true,
  })
  return true
end


--- Deletes every project the API key can see.
-- @treturn integer how many were deleted
function Client:delete_all_projects()
  local n = 0
  for _, project in ipairs(self:get_projects()) do
    self:delete_project(project.id)
    n = n + 1
  end
  return n
end

return M
