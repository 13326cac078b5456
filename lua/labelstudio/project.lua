--- One Label Studio project: `Project`.
--
-- Made by `client:start_project`, `client:get_project` and
-- `client:get_projects`. `project.id` is the id (an integer) and
-- `project.params` the last project JSON seen; no other field turns
-- into a request. Methods keep the Python SDK's names: settings
-- (`get_params`, `set_params`, `set_sampling`, `set_published`,
-- `set_model_version`), import (`import_tasks`), tasks (`get_tasks`,
-- `get_tasks_ids`, `get_paginated_tasks`, `get_task`, and the lazy
-- `iter_tasks`), `create_prediction`, `create_predictions` and
-- `create_annotation`.
--
-- Caveats: simple prediction and annotation results (a label string,
-- a region table) are turned into full results on the client from the
-- project's label config, by `label_config`'s `result_from`; every
-- result, given in full or built from a short form, is checked against
-- the config before it is sent (`validate = false` skips the check).
-- An empty `selected_ids` list selects no task (the server would read
-- it as "all tasks"), so it is answered without a request.
--
-- @module labelstudio.project

local args = require "labelstudio.args"
local bulk = require "labelstudio.bulk"
local errors = require "labelstudio.errors"
local items = require "labelstudio.items"
local json = require "labelstudio.json"
local log = require "labelstudio.log"

local M = {}

local Project = {}
Project.__index = Project
Project.__name = "labelstudio.Project"
M.Project = Project

--- The values of the project's `sampling` field.
M.ProjectSampling = {
  RANDOM = "Uniform sampling",
  SEQUENCE = "Sequential sampling",
  UNCERTAINTY = "Uncertainty sampling",
}

local SAMPLING_ALIASES = {
  uniform = M.ProjectSampling.RANDOM, random = M.ProjectSampling.RANDOM,
  sequential = M.ProjectSampling.SEQUENCE,
  sequence = M.ProjectSampling.SEQUENCE,
  uncertainty = M.ProjectSampling.UNCERTAINTY,
}

local TASK_PAGE_SIZE = 100

local CONTENT_TYPES = {
  json = "application/json", csv = "text/csv",
  tsv = "text/tab-separated-values", txt = "text/plain",
}

local TASK_OPTIONS = {
  filters = true, ordering = true, view_id = true, selected_ids = true,
  page = true, page_size = true, only_ids = true, fields = true,
  resolve_uri = true,
}

-- Python's positional parameters: `get_tasks`, `get_tasks_ids` ...
local TASK_POSITIONAL = {"filters", "ordering", "view_id", "selected_ids",
                         "only_ids"}

-- ... and `get_paginated_tasks`, `get_paginated_tasks_ids`.
local PAGE_POSITIONAL = {"filters", "ordering", "view_id", "selected_ids",
                         "page", "page_size", "only_ids", "resolve_uri"}


--- Makes a project object from the client and the project's JSON.
function M.new(client, params)
  if type(params) ~= "table" or math.type(params.id) ~= "integer" then
    errors.usage("the server's answer holds no project")
  end
  return setmetatable({id = params.id, params = params, client = client},
                      Project)
end


function Project:__tostring()
  return ("labelstudio.Project(%d)"):format(self.id)
end


local function _path(self, fmt, ...)
  return ("/api/projects/%d" .. fmt):format(self.id, ...)
end


-- ---------------------------------------------------------- settings ---

--- Reads the project's settings from the server.
-- @treturn table the project JSON (also kept as `project.params`)
function Project:get_params()
  local _, data = self.client:_request("GET", _path(self, "/"))
  self.params = data
  return data
end

--- Same as `get_params`.
Project.update_params = Project.get_params


--- Changes project settings.
-- @tparam table params fields to change, e.g. `{title = "New"}`
-- @treturn table the project JSON after the change
-- @usage project:set_params{show_skip_button = false}
function Project:set_params(params)
  errors.check(params, "table", "set_params' argument")
  local _, data = self.client:_request("PATCH", _path(self, "/"), {
    json = params,
  })
  self.params = data
  return data
end


--- Sets how tasks are handed to annotators.
-- @tparam string sampling a `ProjectSampling` value, or `"uniform"`,
--   `"sequential"`, `"uncertainty"`
function Project:set_sampling(sampling)
  sampling = args.one(sampling, "sampling")
  errors.check(sampling, "string", "sampling")
  sampling = SAMPLING_ALIASES[sampling:lower()] or sampling
  return self:set_params{sampling = sampling}
end


--- Publishes the project to annotators, or not.
-- @tparam boolean is_published
function Project:set_published(is_published)
  is_published = args.one(is_published, "is_published")
  errors.check(is_published, "boolean", "is_published")
  return self:set_params{is_published = is_published}
end


--- Chooses which predictions annotators see.
-- @tparam string model_version a version that predictions carry, or ""
function Project:set_model_version(model_version)
  model_version = args.one(model_version, "model_version")
  errors.check(model_version, "string", "model_version")
  return self:set_params{model_version = model_version}
end


--- The model versions of the project's predictions, with counts.
function Project:get_model_versions()
  local _, data = self.client:_request("GET", _path(self,
                                                    "/model-versions/"))
  return data
end


-- ------------------------------------------------------------ import ---

--- The tasks of an import as a list: one task table alone becomes a
-- list of one; each task must be a table of fields. Whether each can
-- be encoded is checked when it is encoded, before anything is sent.
local function _check_tasks(tasks)
  items.list(tasks, "tasks")
  if tasks[1] == nil and next(tasks) ~= nil then tasks = {tasks} end
  for i, task in ipairs(tasks) do
    if type(task) ~= "table" then
      errors.usage(("task %d must be a table, not a %s"):format(i,
                                                                type(task)))
    end
    if task[1] ~= nil then
      errors.usage(("task %d must be a table of fields, not a list")
                   :format(i))
    end
  end
  return tasks
end


local function _file_form(path)
  local f, err = io.open(path, "rb")
  if f == nil then
    errors.usage("import_tasks: tasks is a string, so the path of a file,"
                 .. " and it cannot be read: " .. err)
  end
  f:close()
  local ext = (path:match("%.(%w+)$") or ""):lower()
  if CONTENT_TYPES[ext] == nil then
    errors.usage("import_tasks: a file must end in .json, .csv, .tsv"
                 .. " or .txt: " .. path)
  end
  return {file = {path = path, filename = path:match("[^/]*$"),
                  content_type = CONTENT_TYPES[ext]}}
end


--- Warns about fields that name no control: the server would store
-- predictions for a control that does not exist.
local function _check_preannotated(self, fields)
  local ok, cfg = pcall(self._label_config, self)
  if not ok then return end
  for name in fields:gmatch("[^,]+") do
    if cfg:get_control(name) == nil then
      log.warn("preannotated_from_fields: %q is not a control of project"
               .. " %d; its predictions will not fit the label config",
               name, self.id)
    end
  end
end


--- Imports tasks into the project.
-- @tparam table|string tasks a list of tasks (each a table of data
--   fields, or `{data = ..., predictions = ..., annotations = ...}`), or
--   the path of a JSON, CSV, TSV or TXT file
-- @tparam[opt] table opts `preannotated_from_fields`: a list of fields
--   whose values become predictions; for a list, the chunking options
--   of `labelstudio.bulk` (`chunk_size`, `chunk_bytes`,
--   `max_in_flight`, `progress`, `timeout`)
-- @treturn {integer,...} the ids of the new tasks
-- @raise a misuse error, before anything is sent, for a task that is
--   not a table or cannot be encoded; an `ApiError` when the server
--   refuses the tasks, whose `bulk` field says which tasks landed,
--   which were not sent and which may have landed
-- @usage project:import_tasks({{image = "https://x.invalid/1.jpg"}})
function Project:import_tasks(tasks, opts)
  if type(tasks) ~= "string" then
    errors.check(tasks, "table", "tasks")
  end
  opts = errors.check(opts or {}, "table", "import_tasks' options")
  local query = {return_task_ids = "true"}
  local fields = opts.preannotated_from_fields
  if fields ~= nil then
    errors.check(fields, "table|string", "preannotated_from_fields")
    query.preannotated_from_fields = type(fields) == "table"
      and table.concat(fields, ",") or fields
    _check_preannotated(self, query.preannotated_from_fields)
  end
  if type(tasks) == "string" then
    local _, data = self.client:_request("POST", _path(self, "/import"), {
      query = query, form = _file_form(tasks), idempotent = false,
      timeout = opts.timeout or 600})
    if type(data) == "table" and data.import ~= nil then
      return bulk.wait_import(self, data.import)
    end
    return type(data) == "table" and data.task_ids or {}
  end
  tasks = _check_tasks(tasks)
  if #tasks == 0 then return {} end
  return bulk.import_tasks(self, tasks, opts, query)
end


-- ------------------------------------------------------------- tasks ---

--- Reads task-listing options given positionally as in Python
-- (`positional` names them, TASK_POSITIONAL by default) or in one
-- table. A nil `filters` keeps the arguments after it.
local function _task_options_in(positional, first, ...)
  if first == nil and select("#", ...) == 0 then return {} end
  if type(first) == "table" and first.conjunction == nil
     and first.items == nil and select("#", ...) == 0 then
    for k in pairs(first) do
      if not TASK_OPTIONS[k] then
        errors.usage("unknown task option '" .. tostring(k) .. "'")
      end
    end
    return first
  end
  local o, args = {}, table.pack(first, ...)
  for i, name in ipairs(positional) do o[name] = args[i] end
  return o
end


local function _task_options(...)
  return _task_options_in(TASK_POSITIONAL, ...)
end


local function _page_options(...)
  return _task_options_in(PAGE_POSITIONAL, ...)
end


local function _bool(v, default)
  if v == nil then v = default end
  return v and "true" or "false"
end


local function _query_json(o)
  local selected = {all = true, excluded = json.array{}}
  if o.selected_ids ~= nil then
    selected = {all = false, included = json.array(o.selected_ids)}
  end
  local ordering = o.ordering
  if type(ordering) == "string" then ordering = {ordering} end
  local text = json.encode{
    filters = o.filters or json.null,
    ordering = json.array(ordering or {}),
    selectedItems = selected,
  }
  -- The server URL-decodes `query` twice: protect every '%'.
  return (text:gsub("%%", "%%25"))
end


local function _tasks_query(self, o, page, page_size)
  local q = {
    project = self.id, page = page, page_size = page_size,
    fields = o.fields or "all", resolve_uri = _bool(o.resolve_uri, true),
    query = _query_json(o),
  }
  if o.view_id ~= nil then q.view = o.view_id end
  if o.only_ids then q.include = "id" end
  return q
end


local function _check_task_options(o)
  if o.filters ~= nil then errors.check(o.filters, "table", "filters") end
  if o.selected_ids ~= nil then
    errors.check(o.selected_ids, "table", "selected_ids")
  end
  if o.page ~= nil then errors.check(o.page, "integer", "page") end
  if o.page_size ~= nil then
    errors.check(o.page_size, "integer", "page_size")
  end
end


--- Gets one page of tasks.
-- @tparam[opt] table opts `filters` (from `data_manager.Filters`),
--   `ordering` (e.g. `{"-tasks:id"}`), `view_id`, `selected_ids`,
--   `page` (default 1), `page_size` (default 100), `only_ids`,
--   `fields` (`"all"`, the default, or `"task_only"`), `resolve_uri`;
--   or Python's positional `filters, ordering, view_id, selected_ids,
--   page, page_size, only_ids, resolve_uri`
-- @treturn table `{tasks = {...}, total = n, total_annotations = n,
--   total_predictions = n}`; past the last page, `tasks` is empty and
--   `end_pagination` is true. With `only_ids`, `tasks` holds ids.
-- @raise an `ApiError` for an unknown project
function Project:get_paginated_tasks(...)
  local o = _page_options(...)
  _check_task_options(o)
  local page = o.page or 1
  if o.selected_ids ~= nil and #o.selected_ids == 0 then
    return {tasks = {}, total = 0, end_pagination = true}
  end
  local res, data = self.client:_request("GET", "/api/tasks/", {
    query = _tasks_query(self, o, page, o.page_size or TASK_PAGE_SIZE),
    ok = {[404] = page > 1},
  })
  if res.status == 404 then return {tasks = {}, end_pagination = true} end
  if o.only_ids then
    local ids = {}
    for i, t in ipairs(data.tasks) do ids[i] = t.id end
    data.tasks = ids
  end
  return data
end


--- Iterates over the tasks lazily, one page in memory at a time.
-- @param ... as for `get_tasks`
-- @treturn function an iterator giving each task (or id) once
-- @usage for task in project:iter_tasks() do print(task.id) end
function Project:iter_tasks(...)
  local o = {}
  for k, v in pairs(_task_options(...)) do o[k] = v end
  _check_task_options(o)
  local page, seen, total, buf, i, done = 0, 0, nil, {}, 0, false
  local page_size = o.page_size or TASK_PAGE_SIZE
  return function()
    while i >= #buf do
      if done then return nil end
      page = page + 1
      o.page, o.page_size = page, page_size
      local data = self:get_paginated_tasks(o)
      buf, i = data.tasks, 0
      total = data.total or total
      done = data.end_pagination or #buf == 0 or #buf < page_size
        or (total ~= nil and seen + #buf >= total)
    end
    i = i + 1
    seen = seen + 1
    return buf[i]
  end
end


-- Options of `get_tasks` and `get_tasks_ids` that are not listing
-- options but tell how to fetch.
local FETCH_OPTIONS = {max_in_flight = true, progress = true}


--- The options of `get_tasks(...)`: Python's positional arguments or
-- one table, which may also hold `max_in_flight` and `progress`.
local function _listing_options(...)
  local first = ...
  local fetch, o = {}, {}
  if select("#", ...) == 1 and type(first) == "table"
     and first.conjunction == nil and first.items == nil then
    local listing = {}
    for k, v in pairs(first) do
      if FETCH_OPTIONS[k] then fetch[k] = v else listing[k] = v end
    end
    first = listing
  end
  for k, v in pairs(_task_options(first, select(2, ...))) do o[k] = v end
  _check_task_options(o)
  for k, v in pairs(fetch) do o[k] = v end
  return o
end


local LISTING = {tasks_query = _tasks_query}


--- Gets every task of the project (all pages): the first page, then
-- the others `max_in_flight` (default 4) at a time, in order.
-- @tparam[opt] table|any filters the options table of
--   `get_paginated_tasks` (without `page`) plus `max_in_flight` and
--   `progress`, or Python's positional `filters, ordering, view_id,
--   selected_ids, only_ids`
-- @treturn {table,...} the tasks
-- @usage local tasks = project:get_tasks{filters = f}
function Project:get_tasks(...)
  return bulk.get_tasks(self, _listing_options(...), LISTING)
end


--- The ids of every task (all pages); options as for `get_tasks`. Asks
-- the server for ids only.
-- @treturn {integer,...}
function Project:get_tasks_ids(...)
  local o = _listing_options(...)
  o.only_ids = true
  o.fields = o.fields or "task_only"
  return bulk.get_tasks(self, o, LISTING)
end


--- One page of task ids; options as for `get_paginated_tasks`.
function Project:get_paginated_tasks_ids(...)
  local o = {}
  for k, v in pairs(_page_options(...)) do o[k] = v end
  o.only_ids = true
  return self:get_paginated_tasks(o)
end


--- Gets one task with its annotations and predictions.
-- @tparam integer task_id
function Project:get_task(task_id)
  task_id = args.one(task_id, "task_id")
  errors.check(task_id, "integer", "task_id")
  local _, data = self.client:_request("GET",
                                       ("/api/tasks/%d/"):format(task_id))
  return data
end


-- --------------------------------------------- predictions, annotations ---

--- The project's label config, parsed (`labelstudio.label_config`);
-- cached while the config's text stays the same.
-- @treturn table a `Config`: `controls`, `objects`, `result_from`,
--   `check` ...
-- @usage local cfg = project:label_config()
function Project:label_config()
  local xml = self.params and self.params.label_config
  if type(xml) ~= "string" then xml = self:get_params().label_config end
  if self._config_xml ~= xml then
    local lc = require "labelstudio.label_config"
    self._config = lc.parse(xml)
    self._config_xml = xml
  end
  return self._config
end

--- The same, for the SDK's other modules.
Project._label_config = Project.label_config


local function _is_result_list(result)
  if type(result) ~= "table" or result[1] == nil then return false end
  for _, item in ipairs(result) do
    if type(item) ~= "table" then return false end
  end
  return true
end


--- Strips the `file:line: ` a misuse error starts with.
local function _bare(msg)
  return (tostring(msg):gsub("^[^:\n]*:%d+: ", ""))
end


--- Raises a misuse error listing what the config's check finds in a
-- full result. A config without controls (`<View></View>`) has nothing
-- to check against, and the server takes any result for it.
local function _check_result(cfg, result)
  if #cfg.controls == 0 then return end
  local ok, problems = cfg:check(result)
  if ok then return end
  local lines = {}
  for i, p in ipairs(problems) do lines[i] = "  " .. p.message end
  errors.usage("the result does not fit the project's label config"
               .. " (validate = false sends it anyway):\n"
               .. table.concat(lines, "\n"))
end


--- A full result list from a simple one; either is checked against
-- the label config unless `validate` is false (a short form can still
-- hold a box outside the image).
function Project:_full_result(result, validate)
  if result == nil then errors.usage("a result is required") end
  if type(result) == "table" and next(result) == nil then
    return json.array{}       -- no regions: `[]`, never `{}` or null
  end
  if _is_result_list(result) then
    if validate ~= false then _check_result(self:label_config(), result) end
    return result
  end
  local cfg = self:label_config()
  local ok, out = pcall(cfg.result_from, cfg, result)
  if not ok then
    local msg = type(out) == "table" and out.message or tostring(out)
    errors.usage(_bare(msg))
  end
  if validate ~= false then _check_result(cfg, out) end
  return out
end


--- Adds a prediction to a task.
-- @tparam integer task_id
-- @tparam table|string result a full result list, a label (`"Dog"`),
--   or a region table (`{x = 10, y = 20, width = 30, height = 40,
--   label = {"Dog"}}`); an empty table is a prediction with no
--   regions, sent as `[]`
-- @tparam[opt] number score default 0, sent as the Python SDK sends it
-- @tparam[opt] string model_version not sent when nil, as in the Python
--   SDK; the server then stores `""`
-- @tparam[opt] table opts `validate = false` sends the result without
--   checking it against the label config
-- @treturn table the prediction JSON
-- @raise a misuse error naming the candidates when a simple result
--   fits no control or several, or listing what is wrong with a full
--   one
-- @usage project:create_prediction(ids[1], "Dog", 0.9)
function Project:create_prediction(...)
  local task_id, result, score, model_version, last = args.named(
    {"task_id", "result", "score", "model_version", "validate"}, ...)
  local validate = last           -- by name: `validate` itself
  if type(...) ~= "table" and last ~= nil then
    validate = errors.check(last, "table", "create_prediction's options")
                 .validate
  end
  errors.check(task_id, "integer", "task_id")
  if score ~= nil then errors.check(score, "number", "score") end
  local body = {task = task_id, result = self:_full_result(result, validate),
                score = score or 0}
  if model_version ~= nil then
    body.model_version = errors.check(model_version, "string",
                                      "model_version")
  end
  local _, data = self.client:_request("POST", "/api/predictions/", {
    json = body, idempotent = false,
  })
  return data
end


-- The fields the bulk prediction endpoint reads from an item; it
-- ignores any other.
local PREDICTION_FIELDS = {task = true, result = true, score = true,
                           model_version = true}


--- One item of `create_predictions`, checked and with a full result;
-- a misuse error names the item, so that nothing is sent.
local function _prediction_item(self, p, i, validate)
  local what = ("prediction %d"):format(i)
  errors.check(p, "table", what)
  items.fields(p, PREDICTION_FIELDS, what)
  errors.check(p.task, "integer", what .. "'s task")
  if p.score ~= nil then
    errors.check(p.score, "number", what .. "'s score")
  end
  if p.model_version ~= nil then
    errors.check(p.model_version, "string", what .. "'s model_version")
  end
  local ok, result = pcall(self._full_result, self, p.result, validate)
  if not ok and type(result) ~= "string" then error(result, 0) end
  if not ok then errors.usage(what .. ": " .. _bare(result)) end
  return {task = p.task, result = result, score = p.score,
          model_version = p.model_version}
end


--- Adds many predictions through the bulk endpoint, in chunks.
-- @tparam {table,...} predictions each `{task = id, result = ...,
--   score = n, model_version = "..."}`; results as for
--   `create_prediction`. `score` and `model_version` are sent only when
--   given, as the Python SDK sends the items as they are: the server
--   then stores a null score and the model version `"undefined"`
--   (where `create_prediction` sends score 0 and the server stores
--   `""`)
-- @tparam[opt] table opts the chunking options of `labelstudio.bulk`,
--   and `validate = false` to send results unchecked
-- @treturn table `{created = n}`
-- @raise a misuse error naming the item, before anything is sent, for
--   an item with an unknown field, a `task` that is not an integer, a
--   `score` that is not a number, a `model_version` that is not a
--   string or a result `create_prediction` would refuse; an `ApiError`
--   as for `import_tasks`, with `bulk`, on a failed chunk or when the
--   server created fewer predictions than a chunk held (it drops the
--   ones it finds invalid, and says nothing of which)
function Project:create_predictions(predictions, opts)
  errors.check(predictions, "table", "predictions")
  items.list(predictions, "predictions")
  opts = errors.check(opts or {}, "table", "create_predictions' options")
  local body = {}
  for i, p in ipairs(predictions) do
    body[i] = _prediction_item(self, p, i, opts.validate)
  end
  if #body == 0 then return {created = 0} end
  return bulk.create_predictions(self, body, opts)
end


-- The fields the server takes when it creates an annotation: what
-- POST /api/tasks/{id}/annotations/ lists as writable (ask it with
-- OPTIONS), and `draft_id`, which it reads apart. `task` and `project`
-- come from the URL. Any other key would be dropped by the server.
M.ANNOTATION_FIELDS = {
  result = true, was_cancelled = true, ground_truth = true,
  lead_time = true, completed_by = true, updated_by = true,
  draft_id = true, draft_created_at = true, parent_prediction = true,
  parent_annotation = true, unique_id = true, import_id = true,
  last_action = true, last_created_by = true, bulk_created = true,
}

-- ... and the keys `create_annotation` reads itself.
local CREATE_ANNOTATION_KEYS = {task_id = true, validate = true}
for k in pairs(M.ANNOTATION_FIELDS) do CREATE_ANNOTATION_KEYS[k] = true end


--- Adds an annotation to a task.
-- @tparam integer task_id
-- @tparam table opts the annotation's fields: `result` (as for
--   `create_prediction`), `was_cancelled`, `ground_truth`, `lead_time`,
--   `completed_by`, `draft_id`, `parent_prediction`, ... (see
--   `ANNOTATION_FIELDS`); `validate = false` sends the result unchecked
-- @treturn table the annotation JSON
-- @raise a misuse error naming a field the server does not take, and
--   the nearest one it does, before anything is sent
function Project:create_annotation(task_id, opts)
  if type(task_id) == "table" and opts == nil then
    opts, task_id = task_id, task_id.task_id
  end
  errors.check(task_id, "integer", "task_id")
  opts = errors.check(opts or {}, "table", "annotation fields")
  items.fields(opts, CREATE_ANNOTATION_KEYS, "annotation")
  local body = {}
  for k, v in pairs(opts) do
    if M.ANNOTATION_FIELDS[k] then body[k] = v end
  end
  if body.result ~= nil then
    body.result = self:_full_result(body.result, opts.validate)
  end
  local _, data = self.client:_request("POST",
    ("/api/tasks/%d/annotations/"):format(task_id),
    {json = body, idempotent = false})
  return data
end

-- The connect_*_storage, sync_*_storage and get_*_storages methods.
require("labelstudio.storage").install(Project)

-- export_tasks streamed to a file, and read_export.
require("labelstudio.export_stream").install(Project)

return M
