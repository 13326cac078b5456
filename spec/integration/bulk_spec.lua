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
    assert.matches("unknown (sent, no answer): 4-6", tostring(e), 1, true)
    -- the unknown chunk did land: the server had it before the drop
    assert.equal(6, #all_ids(p))
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
end)


describe("labelstudio.project iter_tasks #integration", function()
  teardown(function() srv.project_cleanup() end)

  it("yields every task lazily, one page at a time, in order", function()
    local p = srv.project(srv.client(), "bulk iter", srv.TEXT_CONFIG)
    local ids = p:import_tasks(tasks(11))
    local seen = {}
    for t in p:iter_tasks{page_size = 4} do seen[#seen + 1] = t.id end
    assert.same(ids, seen)
    local first = {}
    for t in p:iter_tasks{page_size = 4} do
      first[#first + 1] = t.id
      if #first == 2 then break end
    end
    assert.same({ids[1], ids[2]}, first)
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
