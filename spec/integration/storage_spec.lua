-- Storages (labelstudio.storage) on the real server, end to end against
-- loopback stand-ins: local files under the server's document root,
-- moto's S3 server, the GCS emulator and Debian's redis-server
-- (scripts/emulators). Azure is the marked exception of DESIGN.md
-- decision 5: the server can only reach core.windows.net, so the
-- request lsrun sends is captured on a loopback listener instead.
-- Every address here is on 127.0.0.1; task data uses .invalid.

local ls = require "labelstudio"
local json = require "labelstudio.json"
local Project = require "labelstudio.project"
local srv = require "ls_server"
local st = require "ls_storage"

local CONFIG = srv.TEXT_CONFIG


local function fails(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok, "expected an error")
  return err, tostring(err)
end


local function no_secrets(text, secrets)
  for _, s in ipairs(secrets) do
    assert.falsy(text:find(s, 1, true), "the error shows a secret: " .. s)
  end
end


local function task_texts(project)
  local out = {}
  for _, t in ipairs(project:get_tasks()) do out[#out + 1] = t.data.text end
  table.sort(out)
  return out
end


local function annotate_first(project)
  local task = project:get_tasks()[1]
  project:create_annotation(task.id, {result = "Positive"})
  return task
end


describe("labelstudio.storage #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  describe("local files", function()
    it("imports task files from a folder under the document root",
       function()
      local dir = st.local_dir("import")
      st.write_file(dir .. "/1.json", '{"text": "local one"}')
      st.write_file(dir .. "/2.json", '{"text": "local two"}')
      local p = srv.project(client, "storage local", CONFIG)
      local s = p:connect_local_import_storage{local_store_path = dir,
        regex_filter = ".*\\.json", use_blob_urls = false,
        title = "local in"}
      assert.equal("localfiles", s.type)
      assert.equal(dir, s.path)
      local synced = p:sync_import_storage(s)
      assert.equal("completed", synced.status)
      assert.same({"local one", "local two"}, task_texts(p))
      local list = p:get_import_storages()
      assert.equal(1, #list)
      assert.equal(s.id, list[1].id)
    end)

    it("takes Python's positional parameters", function()
      local dir = st.local_dir("positional")
      st.write_file(dir .. "/a.json", '{"text": "positional"}')
      local p = srv.project(client, "storage positional", CONFIG)
      local s = p:connect_local_import_storage(dir, nil, false, "pos")
      assert.equal("pos", s.title)
      assert.is_false(s.use_blob_urls)
      p:sync_import_storage("localfiles", s.id)
      assert.same({"positional"}, task_texts(p))
    end)

    it("writes annotations to an export folder on sync", function()
      local dir = st.local_dir("export")
      local p = srv.project(client, "storage local export", CONFIG)
      p:import_tasks{{text = "to export"}}
      local s = p:connect_local_export_storage{local_store_path = dir}
      local task = annotate_first(p)
      local synced = p:sync_export_storage(s.type, s.id)
      assert.equal("completed", synced.status)
      local names = st.list_dir(dir)
      assert.equal(1, #names)
      local ann = json.decode(st.read_file(dir .. "/" .. names[1]))
      assert.equal(task.id, ann.task.id)
      assert.equal("Positive", ann.result[1].value.choices[1])
      assert.equal(1, #p:get_export_storages())
    end)

    it("reports the server's verdict on a path outside the root",
       function()
      local p = srv.project(client, "storage local bad", CONFIG)
      local err, text = fails(p.connect_local_import_storage, p, "/etc")
      assert.is_true(ls.errors.is(err))
      assert.equal(400, err.status)
      assert.matches("LOCAL_FILES_DOCUMENT_ROOT", text)
      assert.matches("storage_spec.lua:%d+", text)
    end)
  end)

  describe("S3 (moto on loopback)", function()
    local KEYS = {aws_access_key_id = "lsrun-test-key-id",
                  aws_secret_access_key = "lsrun-s3-secret-do-not-show",
                  aws_session_token = "lsrun-s3-session-do-not-show"}

    local function s3_args(t)
      for k, v in pairs(KEYS) do t[k] = v end
      t.s3_endpoint = st.s3_endpoint
      t.region_name = "us-east-1"
      return t
    end

    setup(function()
      assert(st.s3_endpoint, "LSRUN_S3_ENDPOINT must be set"
             .. " (scripts/ls-server start)")
    end)

    it("imports task objects under a prefix", function()
      local bucket = st.unique("lsrun-in")
      st.s3_create_bucket(bucket)
      st.s3_put(bucket, "tasks/1.json", '{"text": "s3 one"}')
      st.s3_put(bucket, "tasks/2.json", '{"text": "s3 two"}')
      st.s3_put(bucket, "other/3.json", '{"text": "not this"}')
      local p = srv.project(client, "storage s3", CONFIG)
      local s = p:connect_s3_import_storage(s3_args{bucket = bucket,
        prefix = "tasks/", use_blob_urls = false, presign = false})
      assert.equal("s3", s.type)
      assert.is_nil(s.aws_secret_access_key)
      local synced = p:sync_import_storage(s)
      assert.equal("completed", synced.status)
      assert.equal(2, synced.last_sync_count)
      assert.same({"s3 one", "s3 two"}, task_texts(p))
    end)

    it("writes annotations as objects on export sync", function()
      local bucket = st.unique("lsrun-out")
      st.s3_create_bucket(bucket)
      local p = srv.project(client, "storage s3 export", CONFIG)
      p:import_tasks{{text = "s3 export"}}
      local s = p:connect_s3_export_storage(s3_args{bucket = bucket,
        prefix = "annotations"})
      local task = annotate_first(p)
      p:sync_export_storage(s)
      local keys = st.s3_keys(bucket, "annotations")
      assert.equal(1, #keys)
      local ann = json.decode(assert(st.s3_get(bucket, keys[1])))
      assert.equal(task.id, ann.task.id)
      assert.equal("Positive", ann.result[1].value.choices[1])
    end)

    it("is refused an import prefix that holds no object", function()
      local bucket = st.unique("lsrun-empty")
      st.s3_create_bucket(bucket)
      local p = srv.project(client, "storage s3 empty", CONFIG)
      local err, text = fails(p.connect_s3_import_storage, p,
        s3_args{bucket = bucket, prefix = "none/"})
      assert.equal(400, err.status)
      assert.matches("s3://" .. bucket .. "/none/ not found", text, 1, true)
      local out = p:connect_s3_export_storage(s3_args{bucket = bucket,
        prefix = "none/"})
      assert.equal("s3", out.type)
    end)

    it("reports a missing bucket without showing the keys", function()
      local p = srv.project(client, "storage s3 bad", CONFIG)
      local err, text = fails(p.connect_s3_import_storage, p,
        s3_args{bucket = "lsrun-no-such-bucket", prefix = "tasks/"})
      assert.equal(400, err.status)
      assert.equal("POST", err.method)
      assert.matches("/api/storages/s3/", err.url)
      assert.matches("lsrun%-no%-such%-bucket", text)
      no_secrets(text, {KEYS.aws_secret_access_key,
                        KEYS.aws_session_token})
    end)
  end)

  describe("GCS (emulator on loopback)", function()
    setup(function()
      assert(st.gcs_endpoint, "LSRUN_GCS_ENDPOINT must be set")
    end)

    it("imports task objects and exports annotations", function()
      local bucket = st.unique("lsrun-gcs")
      st.gcs_create_bucket(bucket)
      st.gcs_put(bucket, "tasks/1.json", '{"text": "gcs one"}')
      local p = srv.project(client, "storage gcs", CONFIG)
      local s = p:connect_google_import_storage{bucket = bucket,
        prefix = "tasks/", use_blob_urls = false, presign = false}
      assert.equal("gcs", s.type)
      p:sync_import_storage(s)
      assert.same({"gcs one"}, task_texts(p))
      local out = p:connect_google_export_storage(bucket, "out")
      local task = annotate_first(p)
      p:sync_export_storage(out)
      local names = st.gcs_names(bucket, "out")
      assert.equal(1, #names)
      local ann = json.decode(assert(st.gcs_get(bucket, names[1])))
      assert.equal(task.id, ann.task.id)
    end)
  end)

  describe("Redis (redis-server on loopback)", function()
    setup(function()
      assert(st.redis_port, "LSRUN_REDIS_PORT must be set")
    end)

    it("imports task values and exports annotations", function()
      local prefix = st.unique("lsrun") .. ":"
      st.redis(1, "SET", prefix .. "1", '{"text": "redis one"}')
      local p = srv.project(client, "storage redis", CONFIG)
      local s = p:connect_redis_import_storage{path = prefix,
        host = "127.0.0.1", port = st.redis_port}
      assert.equal("redis", s.type)
      p:sync_import_storage(s)
      assert.same({"redis one"}, task_texts(p))
      local db = 3
      st.redis(db, "FLUSHDB")
      local out = p:connect_redis_export_storage{host = "127.0.0.1",
        port = st.redis_port, db = db}
      local task = annotate_first(p)
      p:sync_export_storage(out)
      local keys = st.redis(db, "KEYS", "*")
      assert.is_truthy(keys ~= "")
      local ann = json.decode(st.redis(db, "GET", (keys:match("[^\n]+"))))
      assert.equal(task.id, ann.task.id)
    end)

    it("reports a refused connection without the password", function()
      local p = srv.project(client, "storage redis bad", CONFIG)
      local password = "lsrun-redis-password-do-not-show"
      local err, text = fails(p.connect_redis_export_storage, p,
        {host = "127.0.0.1", port = 9, password = password})
      assert.equal(400, err.status)
      assert.matches("refused", text)
      no_secrets(text, {password})
    end)
  end)

  -- Azure: the request is captured on loopback (DESIGN.md decision 5).
  describe("Azure (request captured on loopback)", function()
    local refused_body

    setup(function()
      -- The real server's answer when a storage's connection is
      -- refused (Redis on a closed port), replayed for Azure.
      local p = srv.project(client, "storage azure shape", CONFIG)
      local res = client:make_request("POST", "/api/storages/export/redis",
        {json = {project = p.id, host = "127.0.0.1", port = "9"},
         raise_exceptions = false})
      assert.equal(400, res.status)
      refused_body = res.body
    end)

    local function captured(fn)
      local cap = st.capture(400, refused_body)
      local c = ls.Client{url = cap.url, api_key = srv.key, retries = 0}
      local p = Project.new(c, {id = 7})
      local ok, err = pcall(fn, p)
      local reqs = cap:requests()
      cap:stop()
      return reqs, ok, err
    end

    it("sends Python's fields for an import storage", function()
      local key = "bHNydW4tYXp1cmUta2V5LWRvLW5vdC1zaG93"
      local reqs, ok, err = captured(function(p)
        return p:connect_azure_import_storage("lsrun-container", "in/",
          nil, false, nil, nil, "az", nil, "lsrunaccount", key)
      end)
      assert.is_false(ok)
      assert.equal(1, #reqs)
      assert.equal("POST", reqs[1].method)
      assert.equal("/api/storages/azure/", reqs[1].path)
      local body = json.decode(reqs[1].body)
      assert.same({project = 7, container = "lsrun-container",
        prefix = "in/", use_blob_urls = false, presign = true,
        presign_ttl = 1, title = "az", description = "",
        account_name = "lsrunaccount", account_key = key}, body)
      assert.equal(400, err.status)
      local text = tostring(err)
      assert.matches("refused", text)
      no_secrets(text, {key})
    end)

    it("sends an export storage to the export route", function()
      local reqs = captured(function(p)
        return p:connect_azure_export_storage{container = "c",
          account_name = "a", account_key = "lsrun-azure-secret",
          can_delete_objects = true}
      end)
      assert.equal("/api/storages/export/azure", reqs[1].path)
      local body = json.decode(reqs[1].body)
      assert.is_true(body.can_delete_objects)
      assert.equal("", body.title)
    end)

    it("syncs with Python's type name azure_blob", function()
      local reqs = captured(function(p)
        return p:sync_import_storage("azure_blob", 12)
      end)
      assert.equal("/api/storages/azure/12/sync", reqs[1].path)
    end)

    it("sends Google credentials given as a file or as JSON text",
       function()
      local creds = '{"type": "service_account", "private_key":'
        .. ' "-----BEGIN PRIVATE KEY-----\\nlsrun-not-a-key\\n"}'
      local path = srv.temp_file("json", creds)
      local reqs, _, err = captured(function(p)
        p:connect_google_import_storage{bucket = "b",
          google_application_credentials = creds}
      end)
      local from_file = captured(function(p)
        p:connect_google_export_storage("b", nil, path)
      end)
      os.remove(path)
      assert.equal(creds,
        json.decode(reqs[1].body).google_application_credentials)
      assert.equal(creds,
        json.decode(from_file[1].body).google_application_credentials)
      no_secrets(tostring(err), {creds, "lsrun-not-a-key"})
    end)
  end)

  describe("misuse", function()
    local p

    setup(function() p = srv.project(client, "storage misuse", CONFIG) end)

    it("raises at the caller for a missing bucket", function()
      local _, text = fails(p.connect_s3_import_storage, p, {prefix = "x"})
      assert.matches("bucket is required", text)
    end)

    it("raises for an unknown parameter or a wrong type", function()
      local _, text = fails(p.connect_s3_export_storage, p,
                            {bucket = "b", buckett = "c"})
      assert.matches("unknown parameter 'buckett'", text)
      _, text = fails(p.connect_local_import_storage, p, "/x", nil, "yes")
      assert.matches("use_blob_urls must be boolean", text)
      _, text = fails(p.sync_export_storage, p, "s3")
      assert.matches("storage_id must be integer", text)
    end)
  end)
end)
