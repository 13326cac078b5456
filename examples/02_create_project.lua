-- Step 2: create a project with a labeling config (the tutorial's
-- audio transcription project).

local common = require "tutorial.common"

local ctx = common.context(...)
local project = ctx.client:start_project{
  title = "Audio Transcription Project",
  label_config = [[
    <View>
      <Header value="Listen to the audio" />
      <Audio name="audio" value="$audio" />
      <Header value="Write the transcription" />
      <TextArea name="transcription" toName="audio"
          rows="4" editable="true" maxSubmissions="1" />
    </View>
  ]],
}
ctx.audio_project = project
common.say("created project %d (%s) at %s", project.id,
           project.params.title, common.project_url(ctx, project))
return ctx
