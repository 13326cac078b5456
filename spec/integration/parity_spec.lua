-- The last legacy Python calls (docs/parity.md) on the real server:
-- Client:sync_storage, get_api_key and credentials=,
-- Project:get_files_from_tasks, and the Enterprise-only workspace and
-- role calls' error on open source.

local ls = require "labelstudio"
local login = require "labelstudio.login"
local srv = require "ls_server"

local DIR = os.getenv("LSRUN_SERVER_DIR") or "build/ls-server"


local function user()
  local f = assert(io.open(DIR .. "/user", "rb"))
  local email, password = f:read("l", "l")
  f:close()
  return email, password
end


local function write(path, bytes)
  local f = assert(io.open(path, "wb"))
  f:write(bytes)
  f:close()
end


local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end


describe("labelstudio parity calls #integration", function()
  local client, tmp

  setup(function()
    client = srv.client()
    tmp = os.tmpname()
    os.remove(tmp)
    os.execute("mkdir -p " .. tmp)
  end)
  teardown(function()
    srv.project_cleanup()
    os.execute("rm -rf -- '" .. tmp .. "'")
  end)

  describe("login", function()
    it("reads the cookies of Set-Cookie headers, one per line", function()
      local jar = login.parse_set_cookie("csrftoken=abc; expires=Wed,"
        .. " 21 Oct 2026 07:28:00 GMT; Path=/\nsessionid=xyz; HttpOnly\n"
        .. "empty=; Max-Age=0\nbroken; x=1")
      assert.same({csrftoken = "abc", sessionid = "xyz", empty = ""}, jar)
      assert.same({}, login.parse_set_cookie(nil))
    end)

    it("get_api_key logs in and returns the user's token", function()
      local email, password = user()
      assert.equal(srv.key, client:get_api_key{email = email,
                                               password = password})
    end)

    it("a Client made from credentials works", function()
      local email, password = user()
      local c = ls.Client{url = srv.url,
                          credentials = {email = email, password = password}}
      assert.equal(email, c:get_current_user().email)
    end)

    it("a wrong password fails without showing it", function()
      local email = user()
      local secret = "lsrun-wrong-password-do-not-show"
      local ok, err = pcall(client.get_api_key, client,
                            {email = email, password = secret})
      assert.is_false(ok)
      assert.matches("wrong e-mail or password", tostring(err), 1, true)
      assert.is_nil(tostring(err):find(secret, 1, true))
    end)
  end)

  it("sync_storage syncs an import storage, Python's names too", function()
    local project = srv.project(client, "parity sync", srv.TEXT_CONFIG)
    local root = os.getenv("LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT")
    local dir = root .. "/parity-" .. project.id
    os.execute("mkdir -p " .. dir)
    write(dir .. "/1.json", '{"text": "parity task"}')
    local s = project:connect_local_import_storage(dir, nil, false)
    local data = client:sync_storage("local", s.id)
    assert.equal(s.id, data.id)
    project:sync_import_storage_wait("localfiles", s.id)
    assert.equal(1, #project:get_tasks_ids())
    local ok, err = pcall(client.sync_storage, client, "ftp", s.id)
    assert.is_false(ok)
    assert.matches("unknown storage type 'ftp'", err, 1, true)
  end)

  it("get_files_from_tasks returns the uploaded bytes", function()
    local project = srv.project(client, "parity files")
    local bytes = "\137PNG\r\n\26\n" .. string.rep("\0\1lsrun", 200)
    local path = tmp .. "/picture.png"
    write(path, bytes)
    local report = project:import_tasks_report({path})
    assert.equal(1, report.task_count)
    local tasks = project:get_tasks()
    assert.matches("^/data/upload/", tasks[1].data.image)
    local cache = tmp .. "/cache"
    local paths = project:get_files_from_tasks(nil, true, {cache_dir = cache})
    assert.equal(1, #paths)
    assert.equal(bytes, read(paths[1]))
    assert.same(paths, project:get_files_from_tasks(tasks, false,
                                                    {cache_dir = cache}))
  end)

  for _, call in ipairs{
    {"add_workspace_user", 1, 1}, {"remove_workspace_user", 1, 1},
    {"get_workspace_projects", 1}, {"set_user_role", 1, "ANNOTATOR"},
  } do
    local name = call[1]
    it(name .. " says it needs Label Studio Enterprise", function()
      local ok, err = pcall(client[name], client, table.unpack(call, 2))
      assert.is_false(ok)
      assert.matches(name .. " needs Label Studio Enterprise", err, 1, true)
    end)
  end
end)
