-- The error rule (DESIGN.md decision 2) on the real server: each
-- failure raises an ApiError that names the method, the URL, the
-- status, the server's detail and where the script called, and never
-- shows the key.

local ls = require "labelstudio"
local srv = require "ls_server"

local errors = ls.errors

describe("labelstudio.errors #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  local function fails(fn, ...)
    local ok, err = pcall(fn, ...)
    assert.is_false(ok)
    return err, tostring(err)
  end

  local function no_secret(text, key)
    assert.falsy(text:find(key or srv.key, 1, true))
  end

  it("reports a wrong key as rejected, without the key", function()
    local wrong = "0123456789abcdef0123456789abcdef01234567"
    local c = ls.Client{url = srv.url, api_key = wrong}
    local err, text = fails(c.check_connection, c)
    assert.is_true(errors.is(err))
    assert.equal(401, err.status)
    assert.equal("GET", err.method)
    assert.matches("/api/current%-user/whoami", err.url)
    assert.matches("Invalid token", text)
    assert.matches("rejected", text)
    assert.matches("errors_spec.lua:%d+", text)
    no_secret(text, wrong)
    no_secret(text)
  end)

  it("reports an unknown project id with status and detail", function()
    local err, text = fails(client.get_project, client, 424242)
    assert.equal(404, err.status)
    assert.matches("GET " .. srv.url:gsub("%p", "%%%0")
                   .. "/api/projects/424242/", text)
    assert.matches("No Project matches", text)
    assert.truthy(err.request_id)
    assert.matches("request id", text)
    no_secret(text)
  end)

  it("reports an invalid label config with its validation errors",
     function()
    local err, text = fails(client.start_project, client, {
      title = "bad config",
      label_config = '<View><Choices name="c" toName="nope"/></View>',
    })
    assert.equal(400, err.status)
    assert.equal("POST", err.method)
    assert.truthy(err.validation_errors.label_config)
    assert.matches("label_config: ", text)
    no_secret(text)
  end)

  it("reports an unreachable server as such", function()
    local c = ls.Client{url = srv.closed_url(), api_key = srv.key,
                        retries = 0, connect_timeout = 2}
    local err, text = fails(c.check_connection, c)
    assert.is_true(errors.is(err))
    assert.is_nil(err.status)
    assert.equal("connect", err.kind)
    assert.matches("unreachable", text)
    assert.matches("errors_spec.lua:%d+", text)
    no_secret(text)
  end)

  it("reports task data the server refuses", function()
    local project = srv.project(client, "bad data", srv.TEXT_CONFIG)
    local err, text = fails(project.import_tasks, project,
                            {{nottext = "x"}})
    assert.equal(400, err.status)
    assert.matches('"text" key is expected', text)
    no_secret(text)
  end)

  it("refuses task data that cannot be sent, before sending", function()
    local project = srv.project(client, "unsendable", srv.TEXT_CONFIG)
    local cases = {
      {{"not a table"}, "task 1 must be a table"},
      {{{text = "ok"}, {text = "\255\254"}}, "task 2 cannot be sent"},
      {{{text = print}}, "task 1 cannot be sent"},
      {{{"a", "list"}}, "not a list"},
    }
    for _, case in ipairs(cases) do
      local err = fails(project.import_tasks, project, case[1])
      assert.equal("string", type(err))
      assert.matches(case[2], err)
      assert.matches("errors_spec.lua:%d+", err)
    end
    assert.same({}, project:get_tasks_ids())
  end)

  it("shows a long query value by its start and length", function()
    local url = "http://h.invalid/api/tasks/?page=2&query="
                .. ("%7B"):rep(100) .. "&project=7"
    local err = errors.new{method = "GET", url = url, status = 500}
    assert.equal("Label Studio error: GET http://h.invalid/api/tasks/"
                 .. "?page=2&query=" .. ("%7B"):rep(13) .. "...(300"
                 .. " characters)&project=7 -> HTTP 500 Internal Server"
                 .. " Error", tostring(err):match("^[^\n]*"))
    assert.equal(url, err.url)
  end)

  it("keeps every secret out of the debug log and the traceback",
     function()
    local cli = require "cli"
    local secrets = {LSRUN_TEST_PAT = srv.pat(client),
                     AWS_SECRET = "lsrun-log-aws-secret-do-not-show",
                     AWS_SESSION = "lsrun-log-aws-session-do-not-show",
                     REDIS_PASSWORD = "lsrun-log-redis-password-not-shown"}
    local access = os.tmpname()
    local script = cli.write_temp(([[
      local ls = require "labelstudio"
      local env = os.getenv
      local c = ls.Client{url = env("LABEL_STUDIO_URL"),
                          api_key = env("LSRUN_TEST_PAT")}
      local p = c:start_project{title = "secrets in logs"}
      pcall(p.connect_redis_import_storage, p, {host = "127.0.0.1",
        port = "9", password = env("REDIS_PASSWORD"), title = "r"})
      local ok, err = pcall(p.connect_s3_import_storage, p, {
        bucket = "lsrun-no-such-bucket", aws_access_key_id = "id",
        aws_secret_access_key = env("AWS_SECRET"),
        aws_session_token = env("AWS_SESSION"),
        s3_endpoint = env("LSRUN_S3_ENDPOINT")})
      local f = assert(io.open(%q, "w"))
      f:write(c._access)
      f:close()
      c:delete_project(p.id)
      error(err)
    ]]):format(access))
    local env = {LSRUN_LOG = "debug"}
    for k, v in pairs(secrets) do env[k] = v end
    local r = cli.run({"--verbose", script}, {env = env})
    os.remove(script)
    local f = assert(io.open(access))
    secrets.access_token = f:read("a")
    f:close()
    os.remove(access)
    secrets.api_key = srv.key
    assert.equal(1, r.code, r.stderr)
    assert.matches("POST [^\n]*/api/storages/s3", r.stderr)
    assert.matches("lsrun%-no%-such%-bucket", r.stderr)
    assert.matches("stack traceback", r.stderr)
    assert.truthy(#secrets.access_token > 20)
    for name, secret in pairs(secrets) do
      assert.falsy(r.stderr:find(secret, 1, true), name)
      assert.falsy(r.stdout:find(secret, 1, true), name)
    end
  end)

  it("redacts secrets in URLs", function()
    assert.equal("http://***@h.invalid/x?token=REDACTED&page=2",
                 errors.redact_url("http://u:pw@h.invalid/x?token=abc&page=2"))
    assert.equal("http://h.invalid/x?auth=REDACTED&pass=REDACTED"
                 .. "&access=REDACTED&refresh=REDACTED&se=2030",
                 errors.redact_url("http://h.invalid/x?auth=a&pass=p"
                                   .. "&access=c&refresh=r&se=2030"))
  end)
end)
