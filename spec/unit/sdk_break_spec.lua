-- The SDK against careless or hostile input, without a server: each
-- wrong argument raises a clear error at the caller's line and never
-- shows the key.

local ls = require "labelstudio"
local dm = require "labelstudio.data_manager"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

local HERE = "sdk_break_spec.lua:%d+"
local KEY = "0123456789abcdef0123456789abcdef01234567"


--- The message of the error `fn` raises.
local function message(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return tostring(err)
end


describe("labelstudio SDK misuse", function()
  describe("Client's api_key", function()
    local cases = {
      {"a trailing line break", KEY .. "\n", "line break"},
      {"a carriage return", KEY .. "\r\n", "line break"},
      {"a tab inside", "0123\t" .. KEY, "control character"},
      {"nothing", "", "empty"},
      {"only spaces", "   ", "empty"},
    }
    for _, case in ipairs(cases) do
      it("refuses a key of " .. case[1] .. " at the caller's line",
         function()
        local msg = message(function()
          return ls.Client{url = "http://127.0.0.1:1", api_key = case[2]}
        end)
        assert.matches(HERE, msg)
        assert.matches(case[3], msg)
        assert.falsy(msg:find(KEY, 1, true))
      end)
    end
  end)

  it("says why a task file cannot be read, before any request", function()
    local client = ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                             retries = 0}
    local p = require("labelstudio.project").new(client, {id = 1})
    local msg = message(p.import_tasks, p, "/nonexistent/tasks.json")
    assert.matches(HERE, msg)
    assert.matches("/nonexistent/tasks.json: No such file or directory",
                   msg, 1, true)
  end)

  describe("Filters.item", function()
    local cases = {
      {"an unknown operator", Column.id, "bogus", Type.Number,
       "operator must be a value of Operator .*'bogus'"},
      {"an operator in capitals", Column.id, "EQUAL", Type.Number,
       "operator must be a value of Operator"},
      {"an unknown type", Column.id, Operator.EQUAL, "Integer",
       "column_type must be a value of Type .*'Integer'"},
      {"a type in lower case", Column.id, Operator.EQUAL, "number",
       "column_type must be a value of Type"},
    }
    for _, case in ipairs(cases) do
      it("refuses " .. case[1] .. " at the caller's line", function()
        local msg = message(function()
          return Filters.item(case[2], case[3], case[4], 1)
        end)
        assert.matches(HERE, msg)
        assert.matches(case[5], msg)
      end)
    end

    it("still takes every Operator with every Type", function()
      local function fitting(op, t)
        local one = t == Type.Datetime and Filters.datetime(0) or 1
        if op == Operator.EMPTY then return true end
        if op == Operator.IN or op == Operator.NOT_IN then
          return Filters.value(one, one)
        end
        if op == Operator.IN_LIST or op == Operator.NOT_IN_LIST then
          return {one}
        end
        return one
      end
      for _, op in pairs(Operator) do
        for _, t in pairs(Type) do
          assert.equal(op, Filters.item(Column.id, op, t,
                                        fitting(op, t)).operator)
        end
      end
    end)
  end)

  -- Each case calls the SDK on the line after its function starts, with a
  -- client no request can reach: every misuse must be refused before
  -- anything is sent, at that line, naming the key (and the nearest
  -- valid one when there is one).
  describe("options tables", function()
    local client = ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                             retries = 0}
    local p = require("labelstudio.project").new(client, {id = 1,
      label_config = "<View><Text name='t' value='$text'/></View>"})
    local F = Filters
    local cases = {
      {"make_request",
       "unknown option 'jsn' %(did you mean 'json'",
       function()
         client:make_request("POST", "/api/projects/", {jsn = {}})
       end},
      {"make_request",
       "'raise_exception' %(did you mean 'raise_exceptions'",
       function()
         client:make_request("GET", "/x", {raise_exception = false})
       end},
      {"make_request",
       "unknown option 'jsn'",
       function()
         client:make_request{method = "GET", path = "/", jsn = 1}
       end},
      {"make_request",
       "make_request's headers must be table, not integer",
       function()
         client:make_request("GET", "/x", {headers = 5})
       end},
      {"make_request",
       "make_request's timeout must be number, not string",
       function()
         client:make_request("GET", "/x", {timeout = "x"})
       end},
      {"make_request",
       "make_request's query value a must be a string",
       function()
         client:make_request("GET", "/x", {query = {a = {b = 1}}})
       end},
      {"make_request",
       "make_request's json cannot be sent: .*function at %$%.f",
       function()
         client:make_request("POST", "/x", {json = {f = print}})
       end},
      {"make_request",
       "make_request: give json or data, not both",
       function()
         client:make_request("POST", "/x", {data = {a = 1}, json = {b = 1}})
       end},
      {"make_request",
       "data beside files must be a table",
       function()
         client:make_request("POST", "/x", {files = {f = "/x"},
                                            data = "raw=1"})
       end},
      {"make_request",
       "make_request's data field t must be a string",
       function()
         client:make_request("POST", "/x", {data = {t = {a = 1}}})
       end},
      {"make_request",
       "files.f: unknown option 'paht' %(did you mean 'path'",
       function()
         client:make_request("POST", "/x", {files = {f = {paht = "/x"}}})
       end},
      {"make_request",
       "give body or data, not both",
       function()
         client:make_request("POST", "/x", {data = "x", body = "y"})
       end},
      {"update_prediction",
       "prediction: unknown field 'scor' %(did you mean 'score'",
       function()
         p:update_prediction(3, {scor = 0.9})
       end},
      {"update_annotation",
       "annotation: unknown field 'reslt' %(did you mean 'result'",
       function()
         p:update_annotation(3, {reslt = {}})
       end},
      {"get_prediction",
       "unknown argument 'foo'",
       function()
         p:get_prediction{prediction_id = 3, foo = 1}
       end},
      {"get_webhook",
       "'webhok_id' %(did you mean 'webhook_id'",
       function()
         client:get_webhook{webhok_id = 3}
       end},
      {"delete_all_tasks",
       "'exclude_ids' %(did you mean 'excluded_ids'",
       function()
         p:delete_all_tasks{exclude_ids = {1}}
       end},
      {"make_request",
       "'GE T' is not an HTTP method",
       function()
         client:make_request("GE T", "/api/version")
       end},
      {"Client",
       "cookie a: a name or value with a space, ';'",
       function()
         ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                   cookies = {a = "b;c"}}
       end},
      {"Client",
       "a cookie's name must be string, not integer",
       function()
         ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                   cookies = {"x"}}
       end},
      {"Client",
       "unknown option 'timout' %(did you mean 'timeout'",
       function()
         ls.Client{url = "http://127.0.0.1:1", api_key = KEY, timout = 1}
       end},
      {"get_project",
       "project id must be a positive integer, not %-1",
       function()
         client:get_project(-1)
       end},
      {"get_project",
       "project id must be a positive integer, not 0",
       function()
         client:get_project(0)
       end},
      {"delete_project",
       "project_id must be a positive integer, not 0",
       function()
         client:delete_project(0)
       end},
      {"get_projects",
       "unknown option 'titel' %(did you mean 'title'",
       function()
         client:get_projects{titel = "alpha"}
       end},
      {"get_projects",
       "page must be at least 1, not 0",
       function()
         client:get_projects{page = 0}
       end},
      {"start_project",
       "unknown project field 'labelconfig' %(did you mean 'label_config'",
       function()
         client:start_project{labelconfig = "<View/>"}
       end},
      {"set_params",
       "unknown project field 'titl' %(did you mean 'title'",
       function()
         p:set_params{titl = "x"}
       end},
      {"export_tasks",
       "unknown option 'download_all'; valid: download_all_tasks",
       function()
         p:export_tasks{download_all = true}
       end},
      {"export_tasks",
       "export_type 'json' %(did you mean 'JSON'%?",
       function()
         p:export_tasks{export_type = "json"}
       end},
      {"export_tasks",
       "'CSV' is not JSON or JSON_MIN, so it needs export_location",
       function()
         p:export_tasks{export_type = "CSV"}
       end},
      {"export_tasks",
       "ids must be table, not integer",
       function()
         p:export_tasks{ids = 5}
       end},
      {"export_tasks",
       "ids%[2%] must be integer",
       function()
         p:export_tasks{ids = {1, "2"}}
       end},
      {"import_tasks",
       "'preanotated_from_fields' %(did you mean 'preannotated_from_fields"
       .. "'",
       function()
         p:import_tasks({{text = "m"}}, {preanotated_from_fields = {"c"}})
       end},
      {"import_tasks",
       "unknown option 'chunksize' %(did you mean 'chunk_size'",
       function()
         p:import_tasks({{text = "m"}}, {chunksize = 1})
       end},
      {"import_tasks",
       "a file is sent in one request, so chunk_size does",
       function()
         p:import_tasks("spec/unit/args_spec.lua", {chunk_size = 1})
       end},
      {"create_predictions",
       "'chunk_sise' %(did you mean 'chunk_size'",
       function()
         p:create_predictions({{task = 1, result = "A"}}, {chunk_sise = 1})
       end},
      {"create_prediction",
       "unknown option 'validat' %(did you mean 'validate'",
       function()
         p:create_prediction(1, {{}}, nil, nil, {validat = false})
       end},
      {"create_prediction",
       "takes at most 5 arguments, got 6",
       function()
         p:create_prediction(1, "A", 0.1, "x", {}, "extra")
       end},
      {"create_prediction",
       "unknown argument 'scor' %(did you mean 'score'",
       function()
         p:create_prediction{task_id = 1, result = "A", scor = 0.1}
       end},
      {"export_snapshot_wait",
       "unknown option 'timout' %(did you mean 'timeout'",
       function()
         p:export_snapshot_wait(1, {timout = 1})
       end},
      {"export_snapshot_download",
       "unknown option 'intervall'",
       function()
         p:export_snapshot_download(1, "JSON", ".", {intervall = 1})
       end},
      {"export_snapshot_create",
       "unknown argument 'titl'",
       function()
         p:export_snapshot_create{titl = "x"}
       end},
      {"export",
       "unknown option 'timout'",
       function()
         p:export(nil, "t", "JSON", ".", {timout = 1})
       end},
      {"get_tasks",
       "page_size must be at least 1, not 0",
       function()
         p:get_tasks{page_size = 0}
       end},
      {"get_tasks",
       "page_size must be at least 1, not %-1",
       function()
         p:get_tasks{page_size = -1}
       end},
      {"get_tasks",
       "max_in_flight must be at least 1, not 0",
       function()
         p:get_tasks{max_in_flight = 0}
       end},
      {"get_tasks",
       "get_tasks: unknown option 'page';",
       function()
         p:get_tasks{page = 3}
       end},
      {"get_tasks_ids",
       "unknown option 'filter' %(did you mean 'filters'",
       function()
         p:get_tasks_ids{filter = {}}
       end},
      {"get_tasks_ids",
       "view_id and filters cannot be combined",
       function()
         p:get_tasks_ids{view_id = 2, filters = F.create(F.AND, {})}
       end},
      {"get_paginated_tasks",
       "page must be at least 1, not 0",
       function()
         p:get_paginated_tasks{page = 0}
       end},
      {"iter_tasks",
       "iter_tasks: unknown option 'page'",
       function()
         p:iter_tasks{page = 2}
       end},
      {"get_tasks",
       "get_tasks takes at most 5 arguments, got 6",
       function()
         p:get_tasks(nil, nil, nil, nil, false, "extra")
       end},
      {"get_task",
       "task_id must be a positive integer, not 0",
       function()
         p:get_task(0)
       end},
      {"connect_s3_import_storage",
       "unknown parameter 'buckett' %(did you mean 'bucket'",
       function()
         p:connect_s3_import_storage{buckett = "b"}
       end},
      {"sync_import_storage_wait",
       "unknown option 'timout'",
       function()
         p:sync_import_storage_wait("s3", 1, {timout = 1})
       end},
      {"create_view",
       "unknown argument 'titel' %(did you mean 'title'",
       function()
         p:create_view{titel = "x"}
       end},
      {"create_webhook",
       "unknown option 'send_paylod' %(did you mean 'send_payload'",
       function()
         p:create_webhook("http://127.0.0.1:9/", {send_paylod = true})
       end},
      {"update_webhook",
       "unknown field 'is_activ'",
       function()
         client:update_webhook(1, {is_activ = false})
       end},
      {"create_ml_backend",
       "unknown option 'titel' %(did you mean 'title'",
       function()
         p:create_ml_backend("http://127.0.0.1:9/", {titel = "m"})
       end},
      {"update_ml_backend",
       "unknown field 'extra_param'",
       function()
         client:update_ml_backend(1, {extra_param = {}})
       end},
      {"create_user",
       "unknown user field 'fist_name' %(did you mean 'first_name'",
       function()
         client:create_user{email = "a@b.invalid", fist_name = "A"}
       end},
      {"update_user",
       "unknown user field 'lastname'",
       function()
         client:update_user(1, {lastname = "B"})
       end},
      {"delete_tasks",
       "unknown option 'veiw' %(did you mean 'view'",
       function()
         p:delete_tasks({1}, {veiw = 1})
       end},
      {"import_tasks_report",
       "unknown option 'commit_to_projet'",
       function()
         p:import_tasks_report({{text = "a"}}, {commit_to_projet = false})
       end},
      {"create_annotations",
       "unknown option 'max_in_fligth'",
       function()
         p:create_annotations({{task = 1}}, {max_in_fligth = 2})
       end},
      {"get_files_from_tasks",
       "unknown option 'cachedir' %(did you mean 'cache_dir'",
       function()
         p:get_files_from_tasks({}, false, {cachedir = "/tmp"})
       end},
      {"validate_label_config",
       "unknown option 'ofline'",
       function()
         p:validate_label_config("<View/>", {ofline = true})
       end},
    }
    for _, case in ipairs(cases) do
      it(case[1] .. " refuses " .. case[2]:gsub("%%", "")
         .. " at the caller's line", function()
        local fn = case[3]
        local line = debug.getinfo(fn, "S").linedefined + 1
        local msg = message(fn)
        assert.matches("sdk_break_spec%.lua:" .. line .. ": ", msg)
        assert.matches(case[2], msg)
        assert.falsy(msg:find("Label Studio unreachable", 1, true))
      end)
    end
  end)

  describe("LSRUN_LOG", function()
    local host = require "lsrun"
    local saved_level, saved_log

    before_each(function()
      saved_level, saved_log = host.log_level, package.loaded["labelstudio.log"]
      package.loaded["labelstudio.log"] = nil
    end)

    after_each(function()
      host.log_level = saved_level
      package.loaded["labelstudio.log"] = saved_log
    end)

    local function fresh_log(level)
      host.log_level = level
      local log = require "labelstudio.log"
      local lines = {}
      log.sink = function(line) lines[#lines + 1] = line end
      return log, lines
    end

    it("warns once about a level it does not know", function()
      local log, lines = fresh_log("bogus")
      log.warn("first")
      log.debug("hidden")
      log.warn("second")
      assert.equal(3, #lines)
      assert.matches("LSRUN_LOG=bogus is not a level", lines[1])
      assert.equal("lsrun: warn: first", lines[2])
      assert.equal("warn", log.level())
    end)

    it("stays quiet about a level it knows", function()
      local log, lines = fresh_log("DEBUG")
      log.debug("shown")
      assert.same({"lsrun: debug: shown"}, lines)
    end)
  end)
end)
