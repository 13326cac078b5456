-- Step 9: feed a project from storages, and write annotations back.
--
-- Connects a local-files storage (a folder on the server's machine,
-- under its LOCAL_FILES_DOCUMENT_ROOT) and an S3 storage, syncs them so
-- that their task files become tasks, then exports an annotation to an
-- S3 export storage. `make demo` runs it against the local server,
-- whose S3 is moto's server on loopback (scripts/emulators). Alone:
--
--   LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=/srv/ls-files \
--   LSRUN_S3_ENDPOINT=http://127.0.0.1:9000 lsrun examples/storage.lua

local common = require "tutorial.common"
local http = require "lsrun.http"

local ctx = common.context(...)
local root = os.getenv("LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT")
local s3_endpoint = os.getenv("LSRUN_S3_ENDPOINT")

local project = ctx.client:start_project{title = "Reviews from storage",
                                         label_config = common.TEXT_CONFIG}
common.say("created project %d at %s", project.id,
           common.project_url(ctx, project))


-- Writes a few review tasks as JSON files into a new folder.
local function local_folder()
  local dir = ("%s/reviews-%d"):format(root, project.id)
  assert(os.execute("mkdir -p '" .. dir .. "'"))
  for i, text in ipairs{"Great value", "Broke in a week"} do
    local f = assert(io.open(("%s/review-%d.json"):format(dir, i), "w"))
    f:write(('{"text": "%s"}'):format(text))
    f:close()
  end
  return dir
end


-- A bucket with task objects on the loopback S3 (moto takes any
-- signature, so a fixed header will do).
local function s3_bucket(name)
  local s3 = http.session{base_url = s3_endpoint, headers = {
    Authorization = "AWS4-HMAC-SHA256 Credential=demo/20250101/us-east-1"
      .. "/s3/aws4_request, SignedHeaders=host, Signature=00"}}
  assert(s3:request{method = "PUT", url = "/" .. name})
  for i, text in ipairs{"Arrived on time", "Wrong colour"} do
    assert(s3:request{method = "PUT", body = ('{"text": "%s"}'):format(text),
                      url = ("/%s/reviews/%d.json"):format(name, i)})
  end
  return s3
end


if root then
  local storage = project:connect_local_import_storage{
    local_store_path = local_folder(), regex_filter = ".*\\.json",
    use_blob_urls = false, title = "Reviews on disk"}
  local synced = project:sync_import_storage(storage)
  common.say("local files storage %d: %s, %d tasks", storage.id,
             synced.status, synced.last_sync_count or 0)
else
  common.say("LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT is not set:"
             .. " no local-files storage")
end

if s3_endpoint then
  local bucket = ("lsrun-demo-%d"):format(project.id)
  local s3 = s3_bucket(bucket)
  local keys = {bucket = bucket, s3_endpoint = s3_endpoint,
                aws_access_key_id = "demo", aws_secret_access_key = "demo",
                region_name = "us-east-1"}
  keys.prefix, keys.use_blob_urls, keys.presign = "reviews/", false, false
  local storage = project:connect_s3_import_storage(keys)
  local synced = project:sync_import_storage(storage)
  common.say("S3 storage %d (s3://%s/reviews/): %s, %d tasks", storage.id,
             bucket, synced.status, synced.last_sync_count or 0)

  keys.prefix, keys.use_blob_urls, keys.presign = "annotations", nil, nil
  local target = project:connect_s3_export_storage(keys)
  local task = project:get_tasks()[1]
  project:create_annotation(task.id, {result = "Positive"})
  project:sync_export_storage(target)
  local res = s3:request{url = "/" .. bucket,
                         query = {["list-type"] = "2", prefix = "annotations"}}
  local n = select(2, res.body:gsub("<Key>", ""))
  common.say("S3 export storage %d: %d annotation(s) in s3://%s/annotations",
             target.id, n, bucket)
else
  common.say("LSRUN_S3_ENDPOINT is not set: no S3 storage")
end

common.say("project %d now has %d tasks from its storages", project.id,
           #project:get_tasks_ids())
return ctx
