-- Helpers for the integration specs: the real Label Studio that
-- scripts/ls-server started (LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY),
-- clients, throw-away projects, and task data on the .invalid domain.

local ls = require "labelstudio"

local M = {}

M.url = os.getenv("LABEL_STUDIO_URL")
M.key = os.getenv("LABEL_STUDIO_API_KEY")

-- The tutorial's own configs (examples/tutorial/common.lua), so that
-- the specs and the tutorial cannot drift apart: image classification
-- with boxes, and text classification for filters on data.text.
local tutorial = dofile("examples/tutorial/common.lua")
M.IMAGE_CONFIG = tutorial.IMAGE_CONFIG
M.TEXT_CONFIG = tutorial.TEXT_CONFIG


--- A client for the test server; opts are added to url and api_key.
function M.client(opts)
  assert(M.url and M.key, "LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY"
         .. " must be set (scripts/ls-server start)")
  local o = {url = M.url, api_key = M.key}
  for k, v in pairs(opts or {}) do o[k] = v end
  return ls.Client(o)
end


local created = {}


--- A new project; `project_cleanup` deletes every one made.
function M.project(client, title, config)
  local p = client:start_project{title = title or "lsrun spec",
                                 label_config = config or M.IMAGE_CONFIG}
  created[#created + 1] = {client = client, id = p.id}
  return p
end


function M.project_cleanup()
  for _, c in ipairs(created) do
    pcall(c.client.delete_project, c.client, c.id)
  end
  created = {}
end


--- n image tasks on the .invalid domain.
function M.image_tasks(n)
  local t = {}
  for i = 1, n do
    t[i] = {image = ("https://images.lsrun.invalid/%d.jpg"):format(i)}
  end
  return t
end


--- A set (table keyed by value) of a list.
function M.set(list)
  local s = {}
  for _, v in ipairs(list) do s[v] = (s[v] or 0) + 1 end
  return s
end


-- busted reloads this module for every spec file: the token made
-- through the API is kept in the registry so that all files share it.
local PAT_KEY = "lsrun.spec.personal_access_token"


--- A personal access token of the test user: LSRUN_TEST_PAT (which
-- scripts/ls-server start exports), or one made through the API (the
-- server allows one per user at a time).
function M.pat(client)
  local reg = debug.getregistry()
  local pat = os.getenv("LSRUN_TEST_PAT") or reg[PAT_KEY]
  if pat then return pat end
  local r = client:make_request("POST", "/api/token/",
                                {raise_exceptions = false})
  assert(r.status == 201, "cannot create a personal access token (HTTP "
         .. r.status .. "): the test user has one already; restart the"
         .. " server or set LSRUN_TEST_PAT")
  reg[PAT_KEY] = r.json.token
  return r.json.token
end


--- A 127.0.0.1 URL where nothing listens.
function M.closed_url()
  return "http://127.0.0.1:9"
end


--- Writes text to a fresh temporary file with the given extension.
function M.temp_file(ext, text)
  local path = os.tmpname() .. "." .. ext
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

return M
