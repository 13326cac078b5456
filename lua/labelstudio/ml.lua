--- ML backends: a model service the server asks for predictions and
-- sends training requests to.
--
-- Installs on `Project`: `create_ml_backend` (also
-- `add_ml_backend`), `get_ml_backends`, `predict_tasks`; on `Client`:
-- `get_ml_backend`, `update_ml_backend`, `delete_ml_backend`,
-- `train_ml_backend`, `get_ml_backend_versions`.
--
-- Caveats: the server (1.23) answers a PATCH without `url` and
-- `project` with a 500 (its health check and set-up need them), so
-- `update_ml_backend` reads the backend first and sends them along.
-- The server calls the backend's `/health` and `/setup`
-- while creating it, so the backend must be up first.
-- `predict_tasks` runs the `retrieve_tasks_predictions` action: the
-- server asks the project's backends for predictions and stores them.
--
-- @module labelstudio.ml

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local resource = require "labelstudio.resource"
local Client = require("labelstudio.client").Client
local Project = require("labelstudio.project").Project

local M = {}

local PATH = "/api/ml/"
-- The server takes a backend's path without the final slash.
local BACKENDS = resource.new(PATH, "ml_backend_id", "")

-- An ML backend's fields besides `url` and `project` (Python's
-- `ml.create` parameters) ...
local CREATE_OPTIONS = {"title", "description", "is_interactive",
                        "auth_method", "basic_auth_user", "basic_auth_pass",
                        "extra_params", "timeout"}

-- ... and with them, what `update_ml_backend` changes.
local UPDATE_FIELDS = {"url", "project"}
for _, k in ipairs(CREATE_OPTIONS) do UPDATE_FIELDS[#UPDATE_FIELDS + 1] = k end


--- Connects an ML backend to the project.
-- @tparam string url the backend's URL
-- @tparam[opt] table opts `title`, `description`, `is_interactive`,
--   `auth_method` (`"NONE"` or `"BASIC_AUTH"`), `basic_auth_user`,
--   `basic_auth_pass`, `extra_params`, `timeout`
-- @treturn table the backend JSON, with its `id` and `state`
-- @raise a misuse error for an unknown option; an `ApiError` (400)
--   when the server cannot reach the backend
function Project:create_ml_backend(url, opts)
  url, opts = args.split(url, opts, "url")
  errors.check(url, "string", "url")
  local body = args.copy(args.options(opts, CREATE_OPTIONS,
                                      "create_ml_backend"))
  body.url, body.project = url, self.id
  local _, data = self.client:_request("POST", PATH, {
    json = body, idempotent = false,
  })
  return data
end

--- Same as `create_ml_backend`.
Project.add_ml_backend = Project.create_ml_backend


--- The project's ML backends.
function Project:get_ml_backends()
  local _, data = self.client:_request("GET", PATH, {
    query = {project = self.id},
  })
  return data
end


--- Asks the project's ML backends to predict the listed tasks; the
-- predictions are stored on the tasks. An empty list sends nothing.
-- @tparam {integer,...} task_ids
-- @treturn table `{processed_items = n}`
function Project:predict_tasks(task_ids)
  return self:retrieve_tasks_predictions(task_ids)
end


--- Gets one ML backend.
-- @tparam integer ml_backend_id
function Client:get_ml_backend(ml_backend_id)
  return BACKENDS:get(self, ml_backend_id)
end


--- Changes an ML backend's fields (`title`, `url`, `extra_params`,
-- ...).
-- @tparam integer ml_backend_id
-- @tparam table fields
function Client:update_ml_backend(ml_backend_id, fields)
  ml_backend_id, fields = args.split(ml_backend_id, fields, "ml_backend_id")
  errors.check(fields, "table", "the fields to change")
  args.check_keys(fields, UPDATE_FIELDS, "update_ml_backend", "field")
  local body = args.copy(fields)
  if body.url == nil or body.project == nil then
    local current = self:get_ml_backend(ml_backend_id)
    body.url = body.url or current.url
    body.project = body.project or current.project
  end
  return BACKENDS:update(self, ml_backend_id, body)
end


--- Disconnects an ML backend.
-- @tparam integer ml_backend_id
function Client:delete_ml_backend(ml_backend_id)
  BACKENDS:delete(self, ml_backend_id)
end


--- Asks an ML backend to train (the server POSTs to its `/train`).
-- @tparam integer ml_backend_id
-- @treturn table|nil the server's answer
function Client:train_ml_backend(ml_backend_id)
  local _, data = self:_request("POST",
                                BACKENDS:path(ml_backend_id, "/train"), {
    json = {}, idempotent = false,
  })
  return data
end


--- The model versions an ML backend reports.
-- @tparam integer ml_backend_id
function Client:get_ml_backend_versions(ml_backend_id)
  local _, data = self:_request("GET",
                                BACKENDS:path(ml_backend_id, "/versions"))
  return data
end

return M
