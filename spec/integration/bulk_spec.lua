-- labelstudio.bulk and labelstudio.export_stream on the real server:
-- chunked import with ids in order, the three-state report when a
-- chunk fails (refused by the server, or sent and never answered
-- through a fault-injecting proxy on loopback), concurrent listing in
-- order, the lazy iterator, chunked predictions and the streamed
-- export.

local srv = require "ls_server"
local ls = require "labelstudio"



local function tasks(n, from)
  local t = {}
  for i = 1, n do t[i] = {text = ("task %d"):format((from or 0) + i)} end
  return t
end


local function all_ids(project)
  local ids = {}
  for t in project:iter_tasks{fields = "task_only"} do ids[#ids + 1] = t.id end
  return ids
end


--- The loopback proxy that drops the answer to the n-th request whose
-- path holds `part`.
local function drop_proxy(part, n)
  return require("pyserver").start("drop_proxy.py", srv.url, part, n)
end


describe("labelstudio.bulk #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(function() srv.project_cleanup() end)

  it("imports in chunks and returns every id in order", function()
    local p = srv.project(client, "bulk import", srv.TEXT_CONFIG)
    local steps = {}
    local ids = p:import_tasks(tasks(23), {chunk_size = 5,
      progress = function(s) steps[#steps + 1] = s.done end})
    assert.equal(23, #ids)
    assert.same(all_ids(p), ids)
    assert.same({5, 10, 15, 20, 23, 23}, steps)
  end)

  it("keeps the order of chunks sent concurrently", function()
    local p = srv.project(client, "bulk concurrent", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(40), {chunk_size = 3,
                                           max_in_flight = 4})
    assert.equal(40, #ids)
    local text = {}
    for t in p:iter_tasks{} do text[t.id] = t.data.text end
    for i, id in ipairs(ids) do
      assert.equal(("task %d"):format(i), text[id])
    end
    local listed = p:get_tasks{page_size = 6, max_in_flight = 4}
    local sequential = all_ids(p)
    assert.equal(40, #listed)
    for i, t in ipairs(listed) do assert.equal(sequential[i], t.id) end
    assert.same(sequential,
                p:get_tasks_ids{page_size = 7, max_in_flight = 3})
  end)

  it("reports landed and not sent when the server refuses a chunk",
     function()
    local p = srv.project(client, "bulk refused", srv.TEXT_CONFIG)
    local list = tasks(12)
    list[6] = {data = {text = "bad"}, annotations = "not a list"}
    local ok, e = pcall(p.import_tasks, p, list, {chunk_size = 4})
    assert.is_false(ok)
    assert.is_true(ls.errors.is(e))
    assert.equal(400, e.status)
    assert.same({1, 2, 3, 4}, e.bulk.landed_index)
    assert.equal(4, #e.bulk.landed_ids)
    assert.same({5, 6, 7, 8, 9, 10, 11, 12}, e.bulk.not_sent_index)
    assert.same({}, e.bulk.unknown)
    assert.matches("not sent: 5-12", tostring(e), 1, true)

    -- a rerun of what did not land, once fixed, imports nothing twice
    e.bulk.not_sent[2] = {text = "task 6"}
    p:import_tasks(e.bulk.not_sent, {chunk_size = 4})
    assert.equal(12, #all_ids(p))
  end)

  it("reports unknown tasks when a chunk is sent but never answered",
     function()
    local p = srv.project(client, "bulk unknown", srv.TEXT_CONFIG)
    local proxy = drop_proxy("/import", 2)
    local via = ls.Client{url = proxy.url, api_key = srv.key, retries = 0}
    local ok, e = pcall(function()
      return via:get_project(p.id):import_tasks(tasks(10), {chunk_size = 3})
    end)
    proxy:stop()
    assert.is_false(ok)
    assert.is_nil(e.status)
    assert.is_true(e.sent)
    assert.same({1, 2, 3}, e.bulk.landed_index)
    assert.same({4, 5, 6}, e.bulk.unknown_index)
    assert.same({7, 8, 9, 10}, e.bulk.not_sent_index)
    assert.matches("unknown (sent, may have landed): 4-6", tostring(e),
                   1, true)
    -- the unknown chunk did land: the server had it before the drop
    assert.equal(6, #all_ids(p))
  end)

  it("draws its progress on a terminal's stderr, and not under -q",
     function()
    local cli = require "cli"
    local p = srv.project(client, "bulk progress", srv.TEXT_CONFIG)
    local script = cli.write_temp([[
      local ls = require "labelstudio"
      local c = ls.Client{url = os.getenv("LABEL_STUDIO_URL"),
                          api_key = os.getenv("LABEL_STUDIO_API_KEY")}
      local p = c:get_project(math.tointeger((...)))
      local t = {}
      for i = 1, 6 do t[i] = {text = "progress " .. i} end
      print(#p:import_tasks(t, {chunk_size = 2}) .. " imported")
    ]])
    local bar = "lsrun: import %[#+%] 6/6 %d+ tasks/s in %d%d:%d%d"
    local shown = cli.run_tty{script, tostring(p.id)}
    local quiet = cli.run_tty{"-q", script, tostring(p.id)}
    os.remove(script)
    assert.equal(0, shown.code, shown.output)
    assert.matches("\r" .. bar, shown.output)
    assert.matches("6 imported", shown.output, 1, true)
    assert.equal(0, quiet.code, quiet.output)
    assert.equal("6 imported\r\n", quiet.output)
    assert.equal(12, #all_ids(p))
  end)

  it("reports what landed when Ctrl-C stops an import, and exits 130",
     function()
    local cli = require "cli"
    local p = srv.project(client, "bulk interrupted", srv.TEXT_CONFIG)
    -- Ctrl-C (SIGINT from a child shell to lsrun) once the first
    -- chunk has landed; the script may catch the report or not.
    local script = cli.write_temp([[
      local ls = require "labelstudio"
      local c = ls.Client{url = os.getenv("LABEL_STUDIO_URL"),
                          api_key = os.getenv("LABEL_STUDIO_API_KEY")}
      local p = c:get_project(math.tointeger((...)))
      local t = {}
      for i = 1, 30 do t[i] = {text = "interrupted " .. i} end
      local pressed = false
      local function stop(progress)
        if progress.done == 10 and not pressed then
          pressed = true
          io.popen("kill -INT $PPID"):close()
        end
      end
      local opts = {chunk_size = 10, progress = stop}
      if select(2, ...) == "catch" then
        local ok, e = pcall(p.import_tasks, p, t, opts)
        print(ok, e.kind, #e.bulk.landed, #e.bulk.unknown,
              #e.bulk.not_sent, e.bulk.not_sent[1].text)
      else
        p:import_tasks(t, opts)
      end
    ]])
    local uncaught = cli.run({script, tostring(p.id)})
    local caught = cli.run({script, tostring(p.id), "catch"})
    os.remove(script)
    assert.equal(130, uncaught.code, uncaught.stderr)
    assert.matches("import stopped at chunk 2 of 3 %(items 11%-20: not"
                   .. " sent: interrupted by Ctrl%-C%)", uncaught.stderr)
    assert.matches("landed: 1%-10\n", uncaught.stderr)
    assert.matches("not sent: 11%-30\n", uncaught.stderr)
    assert.equal(0, caught.code, caught.stderr)
    assert.equal("false\tinterrupted\t10\t0\t20\tinterrupted 11\n",
                 caught.stdout)
    assert.equal(20, #all_ids(p))
  end)

  it("sends predictions to the bulk endpoint in chunks", function()
    local p = srv.project(client, "bulk predictions", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(9))
    local preds = {}
    for i, id in ipairs(ids) do
      preds[i] = {task = id, result = "Positive", score = 0.5,
                  model_version = "spec"}
    end
    local r = p:create_predictions(preds, {chunk_size = 4})
    assert.equal(9, r.created)
    local t = p:get_task(ids[9])
    assert.equal(1, #t.predictions)
  end)

  -- The server drops a prediction it finds invalid and answers 201
  -- with a smaller `created`; a result naming no control is one, sent
  -- with validate = false.
  local function dropped_by_server()
    return {{from_name = "nope", to_name = "text", type = "choices",
             value = {choices = {"Positive"}}}}
  end

  it("raises when the server creates fewer predictions than sent",
     function()
    local p = srv.project(client, "bulk short", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(3))
    local preds = {{task = ids[1], result = "Positive"},
                   {task = ids[2], result = dropped_by_server()},
                   {task = ids[3], result = "Negative"}}
    local ok, e = pcall(p.create_predictions, p, preds,
                        {chunk_size = 1, validate = false})
    assert.is_false(ok)
    assert.is_true(ls.errors.is(e))
    assert.equal(201, e.status)
    assert.same({1}, e.bulk.landed_index)
    assert.same({2, 3}, e.bulk.not_sent_index)
    assert.same({}, e.bulk.unknown_index)
    assert.matches("created 0 of the 1 predictions", tostring(e), 1, true)
    assert.matches("items 2-2: answered, 0 of 1 created", tostring(e),
                   1, true)
    assert.equal(1, #p:get_task(ids[1]).predictions)
    assert.equal(0, #p:get_task(ids[2]).predictions)
    assert.equal(0, #p:get_task(ids[3]).predictions)
  end)

  it("counts a chunk the server stored only some of as unknown",
     function()
    local p = srv.project(client, "bulk partly", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(3))
    local ok, e = pcall(p.create_predictions, p, {
      {task = ids[1], result = "Positive"},
      {task = ids[2], result = dropped_by_server()},
      {task = ids[3], result = "Negative"},
    }, {chunk_size = 2, validate = false})
    assert.is_false(ok)
    assert.same({1, 2}, e.bulk.unknown_index)
    assert.same({3}, e.bulk.not_sent_index)
    assert.is_true(e.may_have_landed)
    assert.matches("answered, 1 of 2 created", tostring(e), 1, true)
    assert.equal(1, #p:get_task(ids[1]).predictions)
  end)
end)


--- The page numbers of the task listings the server was asked for.
local function pages(proxy)
  local out = {}
  for i, r in ipairs(proxy:requests("/api/tasks/")) do
    out[i] = tonumber(r.query.page)
  end
  return out
end


-- The page requests are counted by a recording proxy on loopback in
-- front of the real server: what it saw is what the server received.

--- A project of 12 tasks, and the project as seen through the proxy.
-- @return proxy, project, ids
local function proxied_project(title)
  local p = srv.project(srv.client(), title, srv.TEXT_CONFIG)
  local ids = p:import_tasks(tasks(12))
  local proxy = require("record_proxy").start(srv.url)
  return proxy,
    ls.Client{url = proxy.url, api_key = srv.key}:get_project(p.id), ids
end

describe("labelstudio.project iter_tasks #integration", function()
  local proxy, p, ids

  setup(function() proxy, p, ids = proxied_project("bulk iter") end)

  teardown(function()
    proxy:stop()
    srv.project_cleanup()
  end)

  before_each(function() proxy:reset() end)

  it("fetches nothing until the first task is asked for", function()
    local next_task = p:iter_tasks{page_size = 4}
    assert.same({}, pages(proxy))
    assert.equal(ids[1], next_task().id)
    assert.same({1}, pages(proxy))
  end)

  it("holds one page: the next is fetched when the first is used up",
     function()
    local next_task = p:iter_tasks{page_size = 4}
    for i = 1, 4 do assert.equal(ids[i], next_task().id) end
    assert.same({1}, pages(proxy))
    assert.equal(ids[5], next_task().id)
    assert.same({1, 2}, pages(proxy))
    local r = proxy:requests("/api/tasks/")
    assert.equal(4, #r[2].body.tasks)
    assert.equal(ids[5], r[2].body.tasks[1].id)
  end)

  it("fetches no more pages after a break at the end of the first",
     function()
    local seen = {}
    for t in p:iter_tasks{page_size = 4} do
      seen[#seen + 1] = t.id
      if #seen == 4 then break end
    end
    assert.same({ids[1], ids[2], ids[3], ids[4]}, seen)
    assert.same({1}, pages(proxy))
  end)

  it("yields each task once in order, asking for each page once",
     function()
    for _, case in ipairs{{4, {1, 2, 3}}, {5, {1, 2, 3}}, {12, {1}}} do
      proxy:reset()
      local seen = {}
      for t in p:iter_tasks{page_size = case[1]} do
        seen[#seen + 1] = t.id
      end
      assert.same(ids, seen)
      assert.same(case[2], pages(proxy))
    end
  end)
end)


--- Whether every task of every listing answer is `{id = n}` alone.
local function only_ids_answered(requests)
  for _, r in ipairs(requests) do
    for _, t in ipairs(r.body.tasks) do
      if next(t) ~= "id" or next(t, "id") ~= nil then return false end
    end
  end
  return true
end


describe("labelstudio.project ids only #integration", function()
  local proxy, p, ids

  setup(function() proxy, p, ids = proxied_project("bulk ids") end)

  teardown(function()
    proxy:stop()
    srv.project_cleanup()
  end)

  before_each(function() proxy:reset() end)

  local calls = {
    {"get_tasks_ids", function(q)
      return q:get_tasks_ids{page_size = 5, max_in_flight = 2}
    end},
    {"get_tasks with only_ids", function(q)
      return q:get_tasks{page_size = 5, only_ids = true}
    end},
    {"iter_tasks with only_ids", function(q)
      local out = {}
      for id in q:iter_tasks{page_size = 5, only_ids = true} do
        out[#out + 1] = id
      end
      return out
    end},
    {"get_paginated_tasks_ids", function(q)
      return q:get_paginated_tasks_ids{page_size = 12}.tasks
    end},
  }
  for _, call in ipairs(calls) do
    it(call[1] .. " asks the server for ids only and gets only ids",
       function()
      assert.same(ids, call[2](p))
      local sent = proxy:requests("/api/tasks/")
      assert.is_true(#sent >= 1)
      for _, r in ipairs(sent) do
        assert.equal("id", r.query.include)
        assert.equal(200, r.status)
      end
      assert.is_true(only_ids_answered(sent))
    end)
  end

  it("asks for full tasks when ids are not asked for", function()
    local listed = p:get_tasks{page_size = 12}
    local sent = proxy:requests("/api/tasks/")
    assert.equal(1, #sent)
    assert.is_nil(sent[1].query.include)
    assert.is_false(only_ids_answered(sent))
    assert.equal("task 1", listed[1].data.text)
  end)
end)


describe("labelstudio.export_stream #integration", function()
  local path = os.tmpname()

  teardown(function()
    os.remove(path)
    srv.project_cleanup()
  end)

  it("streams the export to a file and reads it back lazily", function()
    local p = srv.project(srv.client(), "bulk export", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(15))
    assert.equal(path, p:export_tasks{download_all_tasks = true,
                                      export_location = path})
    local seen = {}
    for task in p:read_export(path) do seen[#seen + 1] = task.id end
    table.sort(seen)
    assert.same(ids, seen)
  end)

  it("makes the folders above export_location, as Python does",
     function()
    local p = srv.project(srv.client(), "bulk export csv", srv.TEXT_CONFIG)
    p:import_tasks(tasks(2))
    local base = os.tmpname()
    os.remove(base)
    local file = base .. "/sub/a.csv"
    assert.equal(file, p:export_tasks{export_type = "CSV",
                                      download_all_tasks = true,
                                      export_location = file})
    local f = assert(io.open(file))
    local head = f:read("l")
    f:close()
    os.execute(("rm -r -- '%s'"):format(base))
    assert.matches("text", head, 1, true)
  end)

  -- Peak memory is read by lsrun child processes from /proc/self/status
  -- at the end of their script: one only connects, one exports, and one
  -- reads the export into a string (to show the measure sees a hold).
  it("streams a large export to a file with flat memory", function()
    local cli = require "cli"
    local p = srv.project(srv.client(), "bulk export big", srv.TEXT_CONFIG)
    local pad = ("x"):rep(15000)
    local list = {}
    for i = 1, 2000 do list[i] = {text = ("%d %s"):format(i, pad)} end
    p:import_tasks(list)
    list = nil
    local script = cli.write_temp([[
      local ls = require "labelstudio"
      local what, id, path = ...
      local c = ls.Client{url = os.getenv("LABEL_STUDIO_URL"),
                          api_key = os.getenv("LABEL_STUDIO_API_KEY")}
      local project = c:get_project(math.tointeger(id))
      local held
      if what == "export" then
        project:export_tasks{download_all_tasks = true,
                             export_location = path}
      elseif what == "hold" then
        held = assert(io.open(path, "rb")):read("a")
      end
      local f = assert(io.open("/proc/self/status"))
      local kb = f:read("a"):match("VmHWM:%s*(%d+) kB")
      f:close()
      print(kb * 1024, held and #held or 0)
    ]])
    local function peak(what)
      local r = cli.run{script, what, tostring(p.id), path}
      assert.equal(0, r.code, r.stderr)
      return tonumber(r.stdout:match("^(%d+)"))
    end
    local base = peak("connect")
    local export = peak("export")
    local size = assert(io.open(path, "rb")):seek("end")
    local hold = peak("hold")
    os.remove(script)
    local says = ("export %d bytes; peak RSS: connect %d, export %d,"
                  .. " hold %d"):format(size, base, export, hold)
    assert.is_true(size > 20e6, says)
    assert.is_true(hold - base > size * 0.9, says)
    assert.is_true(export - base < size / 10, says)
    local n = 0
    for task in p:read_export(path) do
      n = n + 1
      assert.equal(15000, #task.data.text:match("^%d+ (x*)$"))
    end
    assert.equal(2000, n)
  end)

  it("refuses an empty ids list, which the server reads as all", function()
    local p = srv.project(srv.client(), "bulk export ids", srv.TEXT_CONFIG)
    p:import_tasks(tasks(3))
    local ok, e = pcall(p.export_tasks, p, {ids = {}})
    assert.is_false(ok)
    assert.matches("bulk_spec%.lua:%d+: export_tasks: ids is empty", e)
    assert.equal(1, #p:export_tasks{ids = {p:get_tasks_ids()[1]},
                                    download_all_tasks = true})
  end)

  it("raises and leaves no file when the export fails", function()
    local c = srv.client()
    local p = srv.project(c, "bulk export fail", srv.TEXT_CONFIG)
    local gone = setmetatable({id = p.id, client = c},
                              getmetatable(p))
    c:delete_project(p.id)
    os.remove(path)
    local ok, e = pcall(gone.export_tasks, gone, {export_location = path})
    assert.is_false(ok)
    assert.equal(404, e.status)
    assert.is_nil(io.open(path))
  end)
end)
