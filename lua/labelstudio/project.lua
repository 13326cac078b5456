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
-- `start_project` and `set_params` take only the fields in `FIELDS`
-- (Label Studio 1.23's, and the Python SDK's): a field a newer server
-- adds must be added there, or sent with `client:make_request`.
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

--- The fields of a project that `start_project` and `set_params`
-- take: the Python SDK's documented project parameters, the server's
-- writable fields (Label Studio 1.23), and the read-only ones it
-- ignores (so that a project's JSON can be sent back as it came), and
-- Enterprise's `workspace`.
M.FIELDS = {
  "title", "description", "label_config", "expert_instruction",
  "show_instruction", "show_skip_button", "enable_empty_annotation",
  "show_annotation_history", "show_collab_predictions", "color",
  "maximum_annotations", "min_annotations_to_start_training",
  "start_training_on_annotation_update", "is_published", "is_draft",
  "model_version", "sampling", "skip_queue", "show_ground_truth_first",
  "show_overlap_first", "overlap_cohort_percentage", "task_data_login",
  "task_data_password", "control_weights",
  "evaluate_predictions_automatically",
  "reveal_preannotations_interactively", "pinned_at",
  "annotator_evaluation_enabled", "workspace",
  -- read-only: the server ignores them
  "id", "organization", "created_by", "created_at", "parsed_label_config",
  "config_has_control_tags", "config_suitable_for_bulk_annotation",
  "task_number", "finished_task_number", "total_annotations_number",
  "total_predictions_number", "num_tasks_with_annotations",
  "useful_annotation_number", "ground_truth_number",
  "skipped_annotations_number", "queue_total", "queue_done", "state",
}

--- A copy of project fields fit to send: without `created_by` when it
-- is the nested user object the server answers with, which it
-- refuses when sent back (400 on Label Studio 1.23); the other
-- read-only fields it ignores.
function M.sendable(params)
  if type(params.created_by) ~= "table" then return params end
  return args.copy(params, {created_by = true})
end


local CONTENT_TYPES = {
  json = "application/json", csv = "text/csv",
  tsv = "text/tab-separated-values", txt = "text/plain",
}

-- The options of one page of tasks (`get_paginated_tasks`) ...
local PAGE_OPTIONS = {"filters", "ordering", "view_id", "selected_ids",
                      "page", "page_size", "only_ids", "fields",
                      "resolve_uri"}

-- ... of the lazy listing (`iter_tasks`), which pages by itself ...
local ITER_OPTIONS = {"filters", "ordering", "view_id", "selected_ids",
                      "page_size", "only_ids", "fields", "resolve_uri"}

-- ... and of every task at once (`get_tasks`, `get_tasks_ids`), which
-- also says how to fetch.
local LIST_OPTIONS = {"filters", "ordering", "view_id", "selected_ids",
                      "page_size", "only_ids", "fields", "resolve_uri",
                      "max_in_flight", "progress"}

-- The options of `import_tasks`: for a list of tasks ...
local IMPORT_OPTIONS = {"preannotated_from_fields", "chunk_size",
                        "chunk_bytes", "max_in_flight", "progress",
                        "timeout"}

-- ... and for a file, sent in one request.
local IMPORT_FILE_OPTIONS = {preannotated_from_fields = true,
                             timeout = true}

-- The options of `create_predictions` and of `create_prediction`.
local PREDICTIONS_OPTIONS = {"chunk_size", "chunk_bytes", "max_in_flight",
                             "progress", "timeout", "validate"}
local PREDICTION_OPTIONS = {"validate"}

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
-- @tparam table params fields to change, e.g. `{title = "New"}`; each
--   a project field (`FIELDS`); the JSON of `get_params` as it came
--   works too
-- @treturn table the project JSON after the change
-- @raise a misuse error, before anything is sent, for a key that is
--   not a project field
-- @usage project:set_params{show_skip_button = false}
function Project:set_params(params)
  errors.check(params, "table", "set_params' argument")
  args.check_keys(params, M.FIELDS, "set_params", "project field")
  local _, data = self.client:_request("PATCH", _path(self, "/"), {
    json = M.sendable(params),
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


--- Whether `v` is Python's second positional parameter of
-- `import_tasks`, `preannotated_from_fields`: a list or a string.
local function _is_fields(v)
  return type(v) == "string" or (type(v) == "table" and v[1] ~= nil)
end


--- The options of `import_tasks(tasks, fields, opts)`, where `fields`
-- may be the options table itself.
local function _import_options(fields, opts)
  if not _is_fields(fields) then
    if opts ~= nil then
      errors.usage("import_tasks: preannotated_from_fields must be a"
                   .. " list or a string when options follow it")
    end
    return args.options(fields, IMPORT_OPTIONS, "import_tasks")
  end
  local out = {}
  for k, v in pairs(args.options(opts, IMPORT_OPTIONS, "import_tasks")) do
    out[k] = v
  end
  if out.preannotated_from_fields ~= nil then
    errors.usage("import_tasks: preannotated_from_fields given twice")
  end
  out.preannotated_from_fields = fields
  return out
end


--- Imports tasks into the project.
-- @tparam table|string tasks a list of tasks (each a table of data
--   fields, or `{data = ..., predictions = ..., annotations = ...}`), or
--   the path of a JSON, CSV, TSV or TXT file
-- @tparam[opt] {string,...}|string preannotated_from_fields Python's
--   second parameter: the fields whose values become predictions (a
--   list, or names joined with commas); may be left out, or given in
--   `opts` instead
-- @tparam[opt] table opts `preannotated_from_fields` (when not given
--   before); `timeout` (s, per request); for a list, the chunking
--   options of `labelstudio.bulk` (`chunk_size`, `chunk_bytes`,
--   `max_in_flight`, `progress`)
-- @treturn {integer,...} the ids of the new tasks
-- @raise a misuse error, before anything is sent, for a task that is
--   not a table or cannot be encoded, an unknown option, or a chunking
--   option with a file (sent whole); an `ApiError` when the server
--   refuses the tasks, whose `bulk` field says which tasks landed,
--   which were not sent and which may have landed
-- @usage project:import_tasks({{image = "https://x.invalid/1.jpg"}})
-- @usage project:import_tasks(rows, {"pet"})  -- as in Python
function Project:import_tasks(tasks, fields, opts)
  if type(tasks) ~= "string" then
    errors.check(tasks, "table", "tasks")
  end
  opts = _import_options(fields, opts)
  if type(tasks) == "string" then
    for k in pairs(opts) do
      if not IMPORT_FILE_OPTIONS[k] then
        errors.usage(("import_tasks: a file is sent in one request, so"
                      .. " %s does not apply"):format(k))
      end
    end
  end
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

--- True when `t` is a table of options rather than Filters.
local function _is_options(t)
  return type(t) == "table" and t.conjunction == nil and t.items == nil
end


--- Reads task-listing options given positionally as in Python
-- (`positional` names them) or in one table whose keys must be in
-- `known`. A nil `filters` keeps the arguments after it.
local function _task_options_in(what, positional, known, first, ...)
  if first == nil and select("#", ...) == 0 then return {} end
  if _is_options(first) and select("#", ...) == 0 then
    return args.options(first, known, what)
  end
  args.at_most(#positional, what, first, ...)
  local o, a = {}, table.pack(first, ...)
  for i, name in ipairs(positional) do o[name] = a[i] end
  return o
end


local function _page_options(what, ...)
  return _task_options_in(what, PAGE_POSITIONAL, PAGE_OPTIONS, ...)
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


--- Checks the listing options' values. The server applies a view's
-- own filters and ignores the query's when both are given, so
-- `view_id` with `filters` is refused.
local function _check_task_options(o)
  if o.filters ~= nil then errors.check(o.filters, "table", "filters") end
  if o.selected_ids ~= nil then
    errors.check(o.selected_ids, "table", "selected_ids")
  end
  if o.view_id ~= nil then args.id(o.view_id, "view_id") end
  if o.view_id ~= nil and o.filters ~= nil then
    errors.usage("view_id and filters cannot be combined: the server"
                 .. " applies only the view's filters; put the filters"
                 .. " in the view (create_view) or drop view_id")
  end
  if o.page ~= nil then args.positive(o.page, "page") end
  if o.page_size ~= nil then args.positive(o.page_size, "page_size") end
  if o.max_in_flight ~= nil then
    args.positive(o.max_in_flight, "max_in_flight")
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
-- @raise a misuse error for an unknown option, `page` or `page_size`
--   below 1, or `view_id` with `filters`; an `ApiError` for an unknown
--   project
function Project:get_paginated_tasks(...)
  local o = _page_options("get_paginated_tasks", ...)
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
  local o = args.copy(_task_options_in("iter_tasks", TASK_POSITIONAL,
                                       ITER_OPTIONS, ...))
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


--- The options of `get_tasks(...)`: Python's positional arguments or
-- one table, which may also hold `max_in_flight` and `progress`.
local function _listing_options(what, ...)
  local o = args.copy(_task_options_in(what, TASK_POSITIONAL, LIST_OPTIONS,
                                       ...))
  _check_task_options(o)
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
  return bulk.get_tasks(self, _listing_options("get_tasks", ...), LISTING)
end


--- The ids of every task (all pages); options as for `get_tasks`. Asks
-- the server for ids only.
-- @treturn {integer,...}
function Project:get_tasks_ids(...)
  local o = _listing_options("get_tasks_ids", ...)
  o.only_ids = true
  o.fields = o.fields or "task_only"
  return bulk.get_tasks(self, o, LISTING)
end


--- One page of task ids; options as for `get_paginated_tasks`.
function Project:get_paginated_tasks_ids(...)
  local o = args.copy(_page_options("get_paginated_tasks_ids", ...))
  o.only_ids = true
  return self:get_paginated_tasks(o)
end


--- Gets one task with its annotations and predictions.
-- @tparam integer task_id
function Project:get_task(task_id)
  task_id = args.id(args.one(task_id, "task_id"), "task_id")
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
  if result == nil then
    errors.usage("a result is required: the server refuses a null one"
                 .. " (give {} for a prediction with no regions)")
  end
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


local CREATE_PREDICTION_ARGS = {
  "task_id", "result", "score", "model_version", "validate",
  what = "create_prediction",
}


--- Adds a prediction to a task.
-- @tparam integer task_id
-- @tparam table|string result a full result list, a label (`"Dog"`),
--   a region table (`{x = 10, y = 20, width = 30, height = 40,
--   label = {"Dog"}}`), or a control's value payload, the form the
--   Python SDK documents (`{choices = {"Cat"}}`); an empty table is a
--   prediction with no regions, sent as `[]`
-- @tparam[opt] number score default 0, sent as the Python SDK sends it
-- @tparam[opt] string model_version not sent when nil, as in the Python
--   SDK; the server then stores `""`
-- @tparam[opt] table opts `validate = false` sends the result without
--   checking it against the label config
-- @treturn table the prediction JSON
-- @raise a misuse error naming the candidates when a simple result
--   fits no control or several, or listing what is wrong with a full
--   one; for an unknown option, or more than five arguments
-- @usage project:create_prediction(ids[1], "Dog", 0.9)
function Project:create_prediction(...)
  args.at_most(5, "create_prediction", ...)
  local task_id, result, score, model_version, last = args.named(
    CREATE_PREDICTION_ARGS, ...)
  local validate = last           -- by name: `validate` itself
  if type(...) ~= "table" and last ~= nil then
    validate = args.options(last, PREDICTION_OPTIONS,
                            "create_prediction").validate
  end
  task_id = args.id(task_id, "task_id")
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
M.PREDICTION_FIELDS = PREDICTION_FIELDS

-- The other keys of a prediction as the server returns it (GET
-- /api/predictions/ on Label Studio 1.23.2): taken, so that a listed
-- prediction can be sent back, and not sent, as the endpoint ignores
-- them.
M.PREDICTION_READ_ONLY = {
  id = true, project = true, created_at = true, updated_at = true,
  created_ago = true, cluster = true, neighbors = true,
  mislabeling = true, model = true, model_run = true,
}


--- One item of `create_predictions`, checked and with a full result;
-- a misuse error names the item, so that nothing is sent.
local function _prediction_item(self, p, i, validate)
  local what = ("prediction %d"):format(i)
  errors.check(p, "table", what)
  items.fields(args.copy(p, M.PREDICTION_READ_ONLY), PREDICTION_FIELDS,
               what)
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
-- @tparam[opt] table opts the chunking options of `labelstudio.bulk`
--   (`chunk_size`, `chunk_bytes`, `max_in_flight`, `progress`,
--   `timeout`), and `validate = false` to send results unchecked
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
  opts = args.options(opts, PREDICTIONS_OPTIONS, "create_predictions")
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

-- The other keys of an annotation as the server returns it (GET, and
-- `export_tasks`, on Label Studio 1.23.2): read-only, or taken from
-- the URL (`task`, `project`). Taken, so that an annotation read back
-- can be sent again, and not sent: the server ignores them. A
-- `unique_id` read back is sent, as the server takes it; it then
-- refuses a second annotation with the same one (409).
M.ANNOTATION_READ_ONLY = {
  id = true, task = true, project = true, created_at = true,
  updated_at = true, created_ago = true, created_username = true,
  state = true, prediction = true, result_count = true,
}

-- ... and the keys `create_annotation` reads itself.
local CREATE_ANNOTATION_KEYS = {task_id = true, validate = true}
for k in pairs(M.ANNOTATION_FIELDS) do CREATE_ANNOTATION_KEYS[k] = true end


--- Adds an annotation to a task.
-- @tparam integer task_id
-- @tparam table opts the annotation's fields: `result` (as for
--   `create_prediction`), `was_cancelled`, `ground_truth`, `lead_time`,
--   `completed_by`, `draft_id`, `parent_prediction`, ... (see
--   `ANNOTATION_FIELDS`); `validate = false` sends the result unchecked.
--   An annotation as `get_annotation` or `export_tasks` gives it may be
--   passed: its read-only keys (`ANNOTATION_READ_ONLY`) are not sent
-- @treturn table the annotation JSON
-- @raise a misuse error naming a field the server does not take, and
--   the nearest one it does, before anything is sent
function Project:create_annotation(task_id, opts)
  if type(task_id) == "table" and opts == nil then
    opts, task_id = task_id, task_id.task_id
  end
  task_id = args.id(task_id, "task_id")
  opts = errors.check(opts or {}, "table", "annotation fields")
  local body = args.copy(opts, M.ANNOTATION_READ_ONLY)
  items.fields(body, CREATE_ANNOTATION_KEYS, "annotation")
  body.task_id, body.validate = nil, nil
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
