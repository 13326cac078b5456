--- Predictions and annotations by id, and many annotations at once.
--
-- Installs on `Project`: `list_predictions`, `get_prediction`,
-- `update_prediction`, `delete_prediction`, `list_annotations`,
-- `get_annotation`, `update_annotation`, `delete_annotation` and
-- `create_annotations`. `Project:create_annotation` (one) is in
-- `labelstudio.project`.
--
-- Caveats: open-source Label Studio (1.23) has no bulk annotation
-- endpoint, so `create_annotations` sends one request per annotation,
-- at most `max_in_flight` (default 8) at a time. Creating is never
-- re-sent on its own: on a failure the error's `created` field holds
-- the annotations that landed (by index), `failed` the indexes that
-- did not, and `may_have_landed` the ones whose fate is unknown.
-- A personal access token is refreshed before a batch, not during it.
--
-- @module labelstudio.annotations

local args = require "labelstudio.args"
local client_mod = require "labelstudio.client"
local errors = require "labelstudio.errors"
local items = require "labelstudio.items"
local log = require "labelstudio.log"
local resource = require "labelstudio.resource"
local project_mod = require "labelstudio.project"
local Project = project_mod.Project

local M = {}

local MAX_IN_FLIGHT = 8

-- The keys of a `create_annotations` item: the annotation's fields and
-- its task.
local ITEM_KEYS = {task = true, task_id = true}
for k in pairs(project_mod.ANNOTATION_FIELDS) do ITEM_KEYS[k] = true end

-- The keys of an item that are not sent: the read-only ones, and the
-- task, which goes in the URL.
local NOT_SENT = {task = true, task_id = true}
for k in pairs(project_mod.ANNOTATION_READ_ONLY) do NOT_SENT[k] = true end


local PREDICTIONS = resource.new("/api/predictions/", "prediction_id")
local ANNOTATIONS = resource.new("/api/annotations/", "annotation_id")


--- Reads `(id, fields)` or `{<id_name> = id, <field> = ...}`.
local function _id_and_fields(id, fields, id_name)
  if type(id) == "table" and fields == nil and id[id_name] ~= nil then
    return id[id_name], args.copy(id, {[id_name] = true})
  end
  errors.check(fields, "table", "the fields to change")
  return id, fields
end


--- The fields of an update to send: each must be a field the server
-- takes or one it returns (read-only, left out), so that a misspelt
-- one is refused and an object read back can be sent again.
local function _changes(fields, writable, read_only, what)
  local known = {}
  for k in pairs(writable) do known[k] = true end
  for k in pairs(read_only) do known[k] = true end
  items.fields(fields, known, what)
  return args.copy(fields, read_only)
end


-- ------------------------------------------------------- predictions ---

--- The project's predictions, or one task's.
-- @tparam[opt] integer task_id only this task's predictions
-- @treturn {table,...}
function Project:list_predictions(task_id)
  task_id = args.one(task_id, "task_id")
  local query = {project = self.id}
  if task_id ~= nil then
    query = {task = errors.check(task_id, "integer", "task_id")}
  end
  local _, data = self.client:_request("GET", "/api/predictions/", {
    query = query,
  })
  return data
end


--- Gets one prediction.
-- @tparam integer prediction_id
function Project:get_prediction(prediction_id)
  return PREDICTIONS:get(self.client,
                         args.one(prediction_id, "prediction_id"))
end


--- Changes a prediction's fields (`result`, `score`,
-- `model_version`).
-- @tparam integer prediction_id
-- @tparam table fields
-- @treturn table the prediction JSON after the change
function Project:update_prediction(prediction_id, fields)
  prediction_id, fields = _id_and_fields(prediction_id, fields,
                                         "prediction_id")
  fields = _changes(fields, project_mod.PREDICTION_FIELDS,
                    project_mod.PREDICTION_READ_ONLY, "prediction")
  return PREDICTIONS:update(self.client, prediction_id, fields)
end


--- Deletes one prediction.
-- @tparam integer prediction_id
function Project:delete_prediction(prediction_id)
  PREDICTIONS:delete(self.client, args.one(prediction_id,
                                            "prediction_id"))
end


-- ------------------------------------------------------- annotations ---

--- The annotations of a task (skipped ones left out by the server).
-- @tparam integer task_id
-- @treturn {table,...}
function Project:list_annotations(task_id)
  task_id = args.one(task_id, "task_id")
  errors.check(task_id, "integer", "task_id")
  local _, data = self.client:_request("GET",
    ("/api/tasks/%d/annotations/"):format(task_id))
  return data
end


--- Gets one annotation.
-- @tparam integer annotation_id
function Project:get_annotation(annotation_id)
  return ANNOTATIONS:get(self.client,
                         args.one(annotation_id, "annotation_id"))
end


--- Changes an annotation's fields (`result`, `was_cancelled`,
-- `ground_truth`, `lead_time`).
-- @tparam integer annotation_id
-- @tparam table fields
-- @treturn table the annotation JSON after the change
function Project:update_annotation(annotation_id, fields)
  annotation_id, fields = _id_and_fields(annotation_id, fields,
                                         "annotation_id")
  fields = _changes(fields, project_mod.ANNOTATION_FIELDS,
                    project_mod.ANNOTATION_READ_ONLY, "annotation")
  return ANNOTATIONS:update(self.client, annotation_id, fields)
end


--- Deletes one annotation.
-- @tparam integer annotation_id
function Project:delete_annotation(annotation_id)
  ANNOTATIONS:delete(self.client, args.one(annotation_id,
                                            "annotation_id"))
end


-- -------------------------------------------------------------- bulk ---

--- A full result list, as `create_annotation` makes it; a misuse
-- error names the annotation.
local function _result(self, result, i, validate)
  local ok, out = pcall(self._full_result, self, result, validate)
  if ok then return out end
  errors.usage(("annotation %d: %s"):format(i,
    tostring(out):gsub("^[^:\n]*:%d+: ", "")))
end


local function _bulk_requests(self, annotations, validate)
  local client, reqs, paths = self.client, {}, {}
  local auth = client:_auth_header()
  for i, a in ipairs(annotations) do
    errors.check(a, "table", ("annotation %d"):format(i))
    items.fields(args.copy(a, project_mod.ANNOTATION_READ_ONLY),
                 ITEM_KEYS, ("annotation %d"):format(i))
    local task = a.task or a.task_id
    errors.check(task, "integer", ("annotation %d's task"):format(i))
    local body = args.copy(a, NOT_SENT)
    if body.result ~= nil then
      body.result = _result(self, body.result, i, validate)
    end
    paths[i] = ("/api/tasks/%d/annotations/"):format(task)
    reqs[i] = client_mod._request_table(client, "POST", paths[i],
      {json = body, idempotent = false}, auth)
  end
  return reqs, paths
end


--- Raises the first failure with what landed and what did not.
local function _raise_bulk(self, results, paths, created)
  local failed, unknown, first = {}, {}, nil
  for i, r in ipairs(results) do
    if r.error or r.status >= 300 then
      failed[#failed + 1] = i
      if r.error and (r.info or {}).sent then unknown[#unknown + 1] = i end
      first = first or i
    end
  end
  local r = results[first]
  local ok, e = pcall(function()
    if r.error then
      client_mod._raise_transport(self.client, "POST", paths[first],
                                  r.error, r.info)
    end
    client_mod._raise_status(self.client, "POST", paths[first], r,
                             client_mod._decode(r))
  end)
  assert(not ok)
  if errors.is(e) then
    e.created, e.failed = created, failed
    e.may_have_landed = #unknown > 0 and unknown or nil
  end
  error(e, 0)
end


--- Creates many annotations, a few requests at a time.
-- @tparam {table,...} annotations each `{task = id, result = ...,
--   was_cancelled = b, ground_truth = b, lead_time = s}`; results as
--   for `create_annotation`
-- @tparam[opt] table opts `max_in_flight` (default 8); `validate =
--   false` sends full results without checking them
-- @treturn {table,...} the new annotations, in order
-- @raise a misuse error before anything is sent for an annotation
--   without a task or with a field the server does not take (see
--   `labelstudio.project`'s `ANNOTATION_FIELDS`); an `ApiError` with
--   `created` and `failed` when some failed
function Project:create_annotations(annotations, opts)
  errors.check(annotations, "table", "annotations")
  items.list(annotations, "annotations")
  opts = args.options(opts, {"max_in_flight", "validate"},
                      "create_annotations")
  local cap = args.positive(opts.max_in_flight or MAX_IN_FLIGHT,
                            "max_in_flight")
  if annotations[1] == nil then return {} end
  local reqs, paths = _bulk_requests(self, annotations, opts.validate)
  local results = self.client._session:batch(reqs, {max_in_flight = cap})
  local created, bad = {}, false
  for i, r in ipairs(results) do
    if r.error == nil and r.status < 300 then
      created[i] = client_mod._decode(r)
    else
      bad = true
    end
  end
  if bad then _raise_bulk(self, results, paths, created) end
  log.debug("created %d annotations in project %d", #created, self.id)
  return created
end

return M
