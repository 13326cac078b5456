-- Step 1 of the tutorial: connect to Label Studio and check the
-- connection. The URL and key come from LABEL_STUDIO_URL and
-- LABEL_STUDIO_API_KEY (or pass url= and api_key=).

local common = require "tutorial.common"
local ls = require "labelstudio"

local ctx = common.context(...)
ctx.client = ctx.client or ls.Client()
local status = ctx.client:check_connection()
common.say("connected to %s: server %s, signed in as %s", ctx.client.url,
           status.status, status.user.email)
return ctx
