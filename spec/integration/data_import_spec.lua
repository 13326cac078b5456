-- Import reports (labelstudio.data_import) on the real server: tasks
-- with annotations and predictions, files in every format the server
-- reads, URLs it fetches from 127.0.0.1, commit_to_project and
-- return_task_ids. The asynchronous import of Label Studio Enterprise
-- is checked on recorded responses served on 127.0.0.1 (recorded.py),
-- DESIGN.md decision 5's exception, marked below.

local ls = require "labelstudio"
local json = require "labelstudio.json"
local Project = require "labelstudio.project"
local srv = require "ls_server"
local recorded = require "recorded"

local CONFIG = srv.TEXT_CONFIG


local function result(label)
  return {{from_name = "sentiment", to_name = "text", type = "choices",
           value = {choices = {label}}}}
end


describe("labelstudio.data_import #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  it("counts tasks, annotations and predictions", function()
    local p = srv.project(client, "import counts", CONFIG)
    local r = p:import_tasks_report{
      {data = {text = "a"}, annotations = {{result = result("Positive")}},
       predictions = {{result = result("Negative")},
                      {result = result("Positive")}}},
      {text = "b"},
    }
    assert.equal(2, r.task_count)
    assert.equal(1, r.annotation_count)
    assert.equal(2, r.prediction_count)
    assert.same(r.task_ids, p:get_tasks_ids())
  end)

  local FILES = {
    json = '[{"text": "j1"}, {"text": "j2"}]',
    csv = 'text\nc1\nc2\nc3\n',
    tsv = 'text\tother\nt1\tx\n',
    txt = 'line one\nline two\n',
  }
  local COUNTS = {json = 2, csv = 3, tsv = 1, txt = 2}

  for _, ext in ipairs{"json", "csv", "tsv", "txt"} do
    it("imports a ." .. ext .. " file", function()
      local p = srv.project(client, "import " .. ext, CONFIG)
      local r = p:import_tasks_report(srv.temp_file(ext, FILES[ext]))
      assert.equal(COUNTS[ext], r.task_count)
      assert.equal(COUNTS[ext], #p:get_tasks_ids())
    end)
  end

  it("imports several media files at once, each as a task", function()
    local p = srv.project(client, "import media")
    local jpg = "\xff\xd8\xff\xe0lsrun-not-an-image"
    -- The server refuses media files mixed with tabular files.
    local r = p:import_tasks_report{srv.temp_file("jpg", jpg),
                                    srv.temp_file("png", jpg)}
    assert.equal(2, r.task_count)
    assert.equal(2, #r.file_upload_ids)
    local data = {}
    for _, t in ipairs(p:get_tasks()) do data[#data + 1] = t.data.image end
    table.sort(data)
    assert.matches("^/data/upload/", data[1])
  end)

  it("uploads without committing, and leaves ids out on request",
     function()
    local p = srv.project(client, "import no commit", CONFIG)
    local r = p:import_tasks_report(srv.temp_file("csv", FILES.csv),
                                    {commit_to_project = false})
    assert.equal(1, #r.file_upload_ids)
    assert.equal(0, #p:get_tasks_ids())
    r = p:import_tasks_report({{text = "x"}}, {return_task_ids = false})
    assert.equal(1, r.task_count)
    assert.is_nil(r.task_ids)
  end)

  it("imports from URLs the server fetches", function()
    local rec = recorded.start{
      ["GET /a.json"] = {{status = 200, body = {{text = "u1"},
                                                {text = "u2"}}}},
      ["GET /b.json"] = {{status = 200, body = {{text = "u3"}}}},
    }
    local p = srv.project(client, "import urls", CONFIG)
    local ok, r = pcall(p.import_tasks_report, p,
      {urls = {rec.url .. "/a.json", rec.url .. "/b.json"}})
    rec:stop()
    assert.is_true(ok, tostring(r))
    assert.equal(3, r.task_count)
    assert.equal(3, #r.task_ids)
  end)

  it("raises the server's reason for tasks it refuses", function()
    local p = srv.project(client, "import refused", CONFIG)
    local ok, err = pcall(p.import_tasks_report, p, {{other = "x"}})
    assert.is_false(ok)
    assert.equal(400, err.status)
  end)

  -- Recorded responses on loopback (DESIGN.md decision 5): only Label
  -- Studio Enterprise answers an import with an import id.
  describe("an Enterprise import id", function()
    local function run(states)
      local rec = recorded.start{
        ["POST /api/projects/7/import"] = {{status = 201,
                                           body = {import = 3}}},
        ["GET /api/projects/7/imports/3/"] = states,
      }
      local c = ls.Client{url = rec.url, api_key = srv.key, retries = 0}
      local p = Project.new(c, {id = 7})
      local ok, r = pcall(p.import_tasks_report, p, {{text = "x"}},
                          {poll_interval = 0.01})
      local reqs = rec:requests()
      rec:stop()
      return ok, r, reqs
    end

    it("is polled through created and in_progress to the end",
       function()
      local ok, r, reqs = run{
        {status = 200, body = {id = 3, status = "created"}},
        {status = 200, body = {id = 3, status = "in_progress"}},
        {status = 200, body = {id = 3, status = "completed",
          task_count = 1, annotation_count = 0, prediction_count = 0,
          task_ids = {41}}},
      }
      assert.is_true(ok, tostring(r))
      assert.equal(1, r.task_count)
      assert.same({41}, r.task_ids)
      assert.equal(4, #reqs)
      assert.matches("commit_to_project=true", reqs[1].query)
    end)

    it("raises the server's error when it failed", function()
      local ok, err = run{
        {status = 200, body = {id = 3, status = "failed",
                               error = "bad rows"}},
      }
      assert.is_false(ok)
      assert.matches("import failed: bad rows", tostring(err))
    end)
  end)
end)
