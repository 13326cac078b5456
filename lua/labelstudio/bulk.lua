--- Bulk work at the server's speed: chunked import and predictions,
-- concurrent task listing.
--
-- The engine behind these `Project` methods (in `labelstudio.project`),
-- which keep the Python names:
--
-- * `project:import_tasks(tasks, opts)` splits a list of any size into
--   requests below the server's limits (`chunk_size` tasks, default
--   10,000; `chunk_bytes`, default 50 MB; the server takes at most
--   250,000 tasks and 200 MB per request), sends them one at a time
--   (`max_in_flight` for more) and returns every new id in order.
-- * `project:create_predictions(predictions, opts)` sends them to the
--   bulk endpoint, chunked the same way; returns `{created = n}`. The
--   server drops a prediction it finds invalid and says only how many
--   it created, so a chunk that comes short stops the call like a
--   failed one: none created counts as `not_sent`, some as `unknown`.
-- * `project:get_tasks(opts)` and `project:get_tasks_ids(opts)` read
--   the first page, then the others concurrently (`max_in_flight`,
--   default 4; `page_size`, default 1000), results in order. The ids
--   path asks the server for ids only. The server counts the whole
--   set again for every page, so pages of 1000 list 10,000 ids in
--   half the time pages of 100 take, and full tasks a fifth faster
--   (measured on Label Studio 1.23 with SQLite).
-- * `project:iter_tasks(opts)` (from `labelstudio.project`) stays the
--   lazy iterator: one page in memory at a time.
--
-- All take `progress` (see `labelstudio.progress`).
--
-- When a chunk fails, nothing more is sent and the call raises an
-- `ApiError` whose `bulk` field sorts the items into three states:
-- `landed` (with `landed_ids` for tasks), `not_sent` (also a chunk the
-- server refused with a 4xx answer: nothing of it was stored) and
-- `unknown` (sent, and no answer or a 5xx one: they may have landed,
-- since the server commits before its last steps). Importing
-- `e.bulk.not_sent` again imports nothing twice; `unknown` needs a look
-- first.
--
-- Caveats: pages are counted from the first page's `total`; tasks added
-- while the listing runs may be missed or, with an ordering, seen
-- twice. An item larger than `chunk_bytes` alone is a misuse error.
-- With `max_in_flight` above 1 the server's SQLite serialises the
-- writes anyway; it mostly helps servers on PostgreSQL.
--
-- @module labelstudio.bulk

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local item_checks = require "labelstudio.items"
local json = require "labelstudio.json"
local log = require "labelstudio.log"
local progress = require "labelstudio.progress"

local M = {}

--- Defaults of the bulk options.
M.DEFAULTS = {
  chunk_size = 10000,
  chunk_bytes = 50 * 1000 * 1000,
  max_in_flight = 1,
  page_size = 1000,
  pages_in_flight = 4,
}

--- The server's documented limits per import request.
M.LIMITS = {chunk_size = 250000, chunk_bytes = 200 * 1000 * 1000}

-- Pages asked for per batch, per page in flight: progress is reported
-- between batches.
local PAGES_PER_SLOT = 8


-- ---------------------------------------------------------- chunking ---

--- Splits encoded items into chunks of at most `max_count` items whose
-- JSON array (`[a,b,...]`) is at most `max_bytes` long.
-- @tparam {string,...} encoded each item's JSON text
-- @tparam integer max_count
-- @tparam integer max_bytes
-- @treturn {table,...} chunks `{first = i, last = j, bytes = n}`
-- @raise when one item alone is longer than `max_bytes - 2`
function M.split(encoded, max_count, max_bytes)
  local chunks, first, bytes = {}, 1, 2
  for i, text in ipairs(encoded) do
    local size = #text + (i > first and 1 or 0)
    if #text + 2 > max_bytes then
      errors.usage(("item %d is %d bytes, more than chunk_bytes (%d)")
                   :format(i, #text, max_bytes))
    end
    if i - first >= max_count or bytes + size > max_bytes then
      chunks[#chunks + 1] = {first = first, last = i - 1, bytes = bytes}
      first, bytes, size = i, 2, #text
    end
    bytes = bytes + size
  end
  if #encoded >= first then
    chunks[#chunks + 1] = {first = first, last = #encoded, bytes = bytes}
  end
  return chunks
end


--- Encodes each item, raising a misuse error that names a bad one.
function M.encode_items(items, what)
  item_checks.list(items, what .. "s")
  local out = {}
  for i, item in ipairs(items) do
    if type(item) ~= "table" then
      errors.usage(("%s %d must be a table, not a %s"):format(what, i,
                                                              type(item)))
    end
    local ok, text = pcall(json.encode, item)
    if not ok then
      text = tostring(text):gsub("^[^:]*:%d+: ", "")
      errors.usage(("%s %d cannot be sent: %s"):format(what, i, text))
    end
    out[i] = text
  end
  return out
end


local function _body(encoded, chunk)
  return "[" .. table.concat(encoded, ",", chunk.first, chunk.last) .. "]"
end


--- Reads and checks the chunking options.
function M.chunk_options(opts)
  local o = {}
  for _, k in ipairs{"chunk_size", "chunk_bytes", "max_in_flight"} do
    local v = opts[k]
    if v == nil then v = M.DEFAULTS[k] end
    errors.check(v, "integer", k)
    if v < 1 or (M.LIMITS[k] and v > M.LIMITS[k]) then
      errors.usage(("%s must be from 1 to %s"):format(k,
                   tostring(M.LIMITS[k] or "1024")))
    end
    o[k] = v
  end
  return o
end


-- ------------------------------------------------------------ sending ---

--- The state of the items of a request that failed with error `e`.
local function _failed_state(e)
  if e.status == nil then return e.sent and "unknown" or "not_sent" end
  if e.status >= 400 and e.status < 500 then return "refused" end
  return "unknown"
end


--- The `ApiError` of a failed request of a batch, with the detail a
-- single call's error has (`labelstudio.client`'s rule): the server's
-- JSON `detail`, or the title of an HTML error page.
-- @tparam Client client
-- @tparam table req the request (`method`, `url`)
-- @tparam[opt] table res the response; nil when none came
-- @tparam[opt] string msg the transport error, without a response
-- @tparam[opt] table info what the transport knows (`kind`, `sent`)
-- @treturn ApiError
function M.error_from(client, req, res, msg, info)
  if res == nil then
    return errors.new{method = req.method, url = client:get_url(req.url),
                      kind = info and info.kind or "transport error",
                      detail = msg, sent = info and info.sent,
                      may_have_landed = info and info.sent or nil}
  end
  local client_mod = require "labelstudio.client"  -- it requires us
  return client_mod._status_error(client, req.method, req.url, res,
                                  client_mod._decode(res))
end
local _error_from = M.error_from


--- Sends requests (`max_in_flight` at a time) and returns, in order,
-- `{ok = true, data = ...}` or `{ok = false, err = ApiError}`.
local function _send_all(client, reqs, max_in_flight)
  local auth = client:_auth_header()
  for _, req in ipairs(reqs) do
    req.headers = req.headers or {}
    req.headers.Authorization = auth
  end
  local results = client._session:batch(reqs,
                                        {max_in_flight = max_in_flight})
  local out = {}
  for i, res in ipairs(results) do
    local req = reqs[i]
    if res.status == nil then
      out[i] = {ok = false, err = _error_from(client, req, nil, res.error,
                                              res.info)}
    elseif res.status >= 400 then
      out[i] = {ok = false, err = _error_from(client, req, res)}
    else
      local ok, data = pcall(json.decode, res.body)
      out[i] = ok and {ok = true, data = data, status = res.status}
        or {ok = false, err = _error_from(client, req, res)}
    end
  end
  return out
end


-- ------------------------------------------------------------ reports ---

local function _ranges(list)
  local parts, i = {}, 1
  while i <= #list do
    local j = i
    while j < #list and list[j + 1] == list[j] + 1 do j = j + 1 end
    parts[#parts + 1] = i == j and tostring(list[i])
                        or ("%d-%d"):format(list[i], list[j])
    i = j + 1
  end
  return #parts > 0 and table.concat(parts, ", ") or "none"
end


--- The three-state report of a stopped bulk call.
-- @tparam {table,...} items what the caller passed
-- @tparam {table,...} chunks with `state` set: landed, refused,
--   unknown, or nil (not sent), and `ids` for landed import chunks
-- @treturn table `landed`, `landed_ids`, `not_sent`, `unknown` (lists
--   of the caller's items), `*_index` (their positions), `chunks`
function M.report(items, chunks)
  local r = {landed = {}, landed_ids = {}, not_sent = {}, unknown = {},
             landed_index = {}, not_sent_index = {}, unknown_index = {},
             chunks = chunks}
  for _, c in ipairs(chunks) do
    local key = c.state == "landed" and "landed"
                or c.state == "unknown" and "unknown" or "not_sent"
    for i = c.first, c.last do
      r[key][#r[key] + 1] = items[i]
      r[key .. "_index"][#r[key .. "_index"] + 1] = i
    end
    for _, id in ipairs(c.ids or {}) do
      r.landed_ids[#r.landed_ids + 1] = id
    end
  end
  return r
end


-- Why a 5xx answer leaves a chunk's fate unknown: Label Studio's
-- import stores a chunk's tasks in one transaction but commits it
-- before its last steps (counters, webhooks, states), and the bulk
-- prediction endpoint commits as it goes; a proxy's 502/503/504 says
-- nothing of what the server did.
local SERVER_ERROR_FATE = "answered HTTP %d, which does not mean nothing"
  .. " was stored: the server commits before its last steps, which can"
  .. " still fail"


--- What happened to the failed chunk, in a few words.
local function _fate(failed)
  if failed.fate then return failed.fate end
  local status = failed.err and failed.err.status
  if failed.state == "refused" then return "refused, nothing stored" end
  if failed.state ~= "unknown" then return "not sent" end
  if status then return SERVER_ERROR_FATE:format(status) end
  return "sent, no answer"
end


--- One paragraph saying which items are in which state.
function M.describe(what, r, failed)
  local fate = _fate(failed)
  return ("%s stopped at chunk %d of %d (items %d-%d: %s)."
          .. "\n  landed: %s\n  unknown (sent, may have landed): %s"
          .. "\n  not sent: %s\n  e.bulk holds these lists; importing"
          .. " e.bulk.not_sent again imports nothing twice")
    :format(what, failed.index, #r.chunks, failed.first, failed.last,
            fate, _ranges(r.landed_index), _ranges(r.unknown_index),
            _ranges(r.not_sent_index))
end


local function _raise_stopped(what, items, chunks, failed)
  local r = M.report(items, chunks)
  local e = failed.err
  local detail = M.describe(what, r, failed)
  e.detail = e.detail and (e.detail .. "\n  " .. detail) or detail
  e.bulk = r
  e.may_have_landed = #r.unknown > 0 or nil
  error(e, 0)
end


-- -------------------------------------------------------- chunked POST ---

--- Posts `items` in chunks; `on_chunk(chunk, data)` reads each answer
-- and returns nil, or for an answer saying the chunk did not all land
-- `{state = "refused" or "unknown", fate = ..., detail = ...}`.
-- @treturn {table,...} the chunks, each with `data`
--- Sends the wave of chunks from `w` (`max_in_flight` of them) and
-- reads the answers; returns the first chunk that failed, or nil.
local function _wave(project, req, encoded, chunks, w, cap, on_chunk,
                     bar)
  local reqs, wave = {}, {}
  for k = w, math.min(#chunks, w + cap - 1) do
    wave[#wave + 1] = chunks[k]
    local r = {body = _body(encoded, chunks[k])}
    for f, v in pairs(req) do r[f] = v end
    reqs[#reqs + 1] = r
  end
  local failed
  for k, out in ipairs(_send_all(project.client, reqs, cap)) do
    local c = wave[k]
    local short = out.ok and on_chunk(c, out.data)
    if out.ok and not short then
      c.state = "landed"
      bar:add(c.last - c.first + 1)
    elseif out.ok then
      c.state, c.fate = short.state, short.fate
      c.err = errors.new{method = "POST", status = out.status,
                         url = project.client:get_url(req.url),
                         detail = short.detail, body = out.data}
      failed = failed or c
    else
      c.state, c.err = _failed_state(out.err), out.err
      failed = failed or c
    end
  end
  return failed
end


--- After Ctrl-C stopped a wave: raises the report with every chunk of
-- the wave that has no answer yet unknown, as an interrupted error
-- (the host then exits 130). Any other error is raised as it was.
local function _raise_interrupted(project, what, path, items, chunks,
                                  err)
  if not require("lsrun.sys").interrupted() then error(err, 0) end
  local first
  for _, c in ipairs(chunks) do
    if c.state == nil and c.started then
      c.state, c.fate = "unknown", "interrupted by Ctrl-C while in flight"
    end
    if c.state ~= "landed" then first = first or c end
  end
  if first == nil then error(err, 0) end
  first.fate = first.fate or "not sent: interrupted by Ctrl-C"
  first.err = errors.new{method = "POST", kind = "interrupted",
    url = project.client:get_url(path), detail = "interrupted by Ctrl-C",
    sent = first.state == "unknown"}
  _raise_stopped(what, items, chunks, first)
end


--- Posts `items` in chunks; `on_chunk(chunk, data)` reads each answer.
-- @treturn {table,...} the chunks, each with `data`
local function _post_chunks(project, what, path, query, items, opts,
                            on_chunk)
  local o = M.chunk_options(opts)
  local encoded = M.encode_items(items, what == "import" and "task"
                                 or "prediction")
  local chunks = M.split(encoded, o.chunk_size, o.chunk_bytes)
  for i, c in ipairs(chunks) do c.index = i end
  local bar = progress.new{what = what, total = #items, unit = what ==
    "import" and "tasks" or "predictions", progress = opts.progress}
  local req = {method = "POST", url = path, query = query,
               headers = {["Content-Type"] = "application/json"},
               idempotent = false, timeout = 0,
               low_speed_time = math.ceil(opts.timeout or 600)}
  for w = 1, #chunks, o.max_in_flight do
    for k = w, math.min(#chunks, w + o.max_in_flight - 1) do
      chunks[k].started = true
    end
    local ok, failed = pcall(_wave, project, req, encoded, chunks, w,
                             o.max_in_flight, on_chunk, bar)
    if not ok or failed then bar:finish() end
    if not ok then
      _raise_interrupted(project, what, path, items, chunks, failed)
    end
    if failed then _raise_stopped(what, items, chunks, failed) end
  end
  bar:finish()
  return chunks
end


--- Waits for an asynchronous import (Label Studio Enterprise) and
-- returns its task ids.
function M.wait_import(project, import_id)
  local sys = require "lsrun.sys"
  local path = ("/api/projects/%d/imports/%d/"):format(project.id,
                                                       import_id)
  local waited, delay, prev = 0, 1, 0
  while waited <= 300 do
    local _, data = project.client:_request("GET", path)
    if data.status == "completed" then return data.task_ids or {} end
    if data.status == "failed" then
      errors.raise{method = "GET", url = project.client:get_url(path),
                   status = 200, detail = "import failed: "
                   .. tostring(data.error)}
    end
    sys.sleep(delay)
    waited = waited + delay
    delay, prev = delay + prev, delay
  end
  errors.raise{method = "GET", url = project.client:get_url(path),
               detail = "import timed out after 300 s"}
end


--- Imports a list of tasks in chunks; see the module's summary.
-- @tparam Project project
-- @tparam {table,...} tasks
-- @tparam table opts `chunk_size`, `chunk_bytes`, `max_in_flight`,
--   `progress`, `timeout` (s a request may go without a byte, default
--   600)
-- @tparam table query the import's query parameters
-- @treturn {integer,...} the new task ids, in the order of `tasks`
-- @raise an `ApiError` with `bulk` when a chunk fails
function M.import_tasks(project, tasks, opts, query)
  local ids = {}
  local path = ("/api/projects/%d/import"):format(project.id)
  _post_chunks(project, "import", path, query, tasks, opts,
    function(c, data)
      local got = type(data) == "table" and data.task_ids
      if got == nil and type(data) == "table" and data.import ~= nil then
        got = M.wait_import(project, data.import)
      end
      c.ids = got or {}
      for _, id in ipairs(c.ids) do ids[#ids + 1] = id end
    end)
  log.debug("imported %d tasks into project %d", #ids, project.id)
  return ids
end


--- What an answered prediction chunk's `created` count says: nil
-- when every prediction landed.
local function _created_short(c, data)
  local sent = c.last - c.first + 1
  local n = type(data) == "table" and math.type(data.created)
    and data.created or nil
  if n == sent then return nil end
  return {
    state = n == 0 and "refused" or "unknown",
    fate = ("answered, %s of %d created"):format(tostring(n or "?"),
                                                 sent),
    detail = ("the server created %s of the %d predictions sent in"
              .. " this chunk; it drops the ones it finds invalid"
              .. " without saying which (its log names them)")
      :format(tostring(n or "?"), sent),
  }
end


--- Posts predictions (full results) to the bulk endpoint in chunks.
-- @treturn table `{created = n}`
-- @raise an `ApiError` with `bulk` when a chunk fails, or when the
--   server created fewer predictions than a chunk held
function M.create_predictions(project, predictions, opts)
  local created = 0
  local path = ("/api/projects/%d/import/predictions"):format(project.id)
  _post_chunks(project, "predictions", path, nil, predictions, opts,
    function(c, data)
      local short = _created_short(c, data)
      if not short then created = created + data.created end
      return short
    end)
  return {created = created}
end


-- ------------------------------------------------------------ listing ---

local function _page_tasks(data, only_ids)
  local tasks = type(data) == "table" and (data.tasks or data) or {}
  if not only_ids then return tasks end
  local ids = {}
  for i, t in ipairs(tasks) do ids[i] = type(t) == "table" and t.id or t end
  return ids
end


--- Fetches pages `from`..`to` concurrently; returns their task lists.
local function _fetch_pages(project, o, h, from, to, in_flight)
  local reqs = {}
  for page = from, to do
    reqs[#reqs + 1] = {method = "GET", url = "/api/tasks/",
                       query = h.tasks_query(project, o, page, o.page_size)}
  end
  local out = {}
  for i, r in ipairs(_send_all(project.client, reqs, in_flight)) do
    if r.ok then
      out[i] = _page_tasks(r.data, o.only_ids)
    elseif r.err.status == 404 then
      out[i] = {}
    else
      error(r.err, 0)
    end
  end
  return out
end


--- Every task (or id) of the listing, first page alone, then the rest
-- `pages_in_flight` at a time; in the server's order.
-- @tparam Project project
-- @tparam table o the listing options (as for `get_paginated_tasks`),
--   plus `max_in_flight` and `progress`
-- @tparam table h the project module's helpers: `tasks_query`
function M.get_tasks(project, o, h)
  o.page_size = args.positive(o.page_size or M.DEFAULTS.page_size,
                              "page_size")
  local in_flight = args.positive(o.max_in_flight
                                  or M.DEFAULTS.pages_in_flight,
                                  "max_in_flight")
  local first = project:get_paginated_tasks{
    filters = o.filters, ordering = o.ordering, view_id = o.view_id,
    selected_ids = o.selected_ids, page = 1, page_size = o.page_size,
    only_ids = o.only_ids, fields = o.fields, resolve_uri = o.resolve_uri}
  local out = first.tasks or {}
  local total = first.total or #out
  local pages = math.max(1, (total + o.page_size - 1) // o.page_size)
  local bar = progress.new{what = o.only_ids and "task ids" or "tasks",
                           total = total, progress = o.progress}
  bar:add(#out)
  local step = in_flight * PAGES_PER_SLOT
  for from = 2, pages, step do
    local to = math.min(pages, from + step - 1)
    for _, tasks in ipairs(_fetch_pages(project, o, h, from, to,
                                        in_flight)) do
      table.move(tasks, 1, #tasks, #out + 1, out)
      bar:add(#tasks)
    end
  end
  bar:finish()
  return out
end


return M
