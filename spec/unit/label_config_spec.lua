local lc = require "labelstudio.label_config"

local PETS = [[
<View>
  <Image name="img" value="$image"/>
  <Choices name="cls" toName="img">
    <Choice value="Dog"/><Choice value="Cat" alias="cat"/>
  </Choices>
  <RectangleLabels name="box" toName="img">
    <Label value="Dog" background="red"/><Label value="Bird"/>
  </RectangleLabels>
  <TextArea name="note" toName="img" perRegion="true"/>
</View>]]

local SPLIT = [[
<View>
  <Image name="image" value="$image"/>
  <Rectangle name="rect" toName="image"/>
  <Labels name="lab" toName="image"><Label value="Car"/></Labels>
  <Text name="t" value="$text"/>
  <Labels name="ner" toName="t"><Label value="PER"/></Labels>
</View>]]


describe("labelstudio.label_config", function()
  describe("parse", function()
    it("lists object and control tags by position and by name", function()
      local cfg = lc.parse(PETS)
      assert.equal(1, #cfg.objects)
      assert.equal(3, #cfg.controls)
      assert.equal("img", cfg.objects[1].name)
      assert.equal(cfg.objects[1], cfg.objects.img)
      assert.equal("$image", cfg.objects.img.value)
      assert.equal("image", cfg.objects.img.variable)
      assert.equal("RectangleLabels", cfg.controls.box.tag)
      assert.same({"img"}, cfg.controls.box.toName)
      assert.equal(cfg.controls.cls, cfg:get_control("cls"))
    end)

    it("keeps labels with value, alias and attributes", function()
      local cfg = lc.parse(PETS)
      local cat = cfg.controls.cls.labels[2]
      assert.equal("Cat", cat.value)
      assert.equal("cat", cat.alias)
      assert.equal("red", cfg.controls.box.labels[1].attrs.background)
    end)

    it("records perRegion and visibleWhen nesting", function()
      local cfg = lc.parse([[<View><Text name="t" value="$t"/>
        <Choices name="a" toName="t"><Choice value="x"/></Choices>
        <View visibleWhen="choice-selected" whenTagName="a">
          <Choices name="b" toName="t" visibleWhen="choice-selected"
            whenTagName="a" whenChoiceValue="x"><Choice value="y"/>
          </Choices>
        </View></View>]])
      local b = cfg.controls.b
      assert.equal("choice-selected", b.visibleWhen)
      assert.equal("x", b.whenChoiceValue)
      assert.equal(2, #b.conditions)
      assert.is_false(cfg.controls.a.perRegion)
      assert.is_true(lc.parse(PETS).controls.note.perRegion)
    end)

    it("accepts an empty View", function()
      local cfg = lc.parse("<View></View>")
      assert.equal(0, #cfg.objects)
      assert.equal(0, #cfg.controls)
    end)

    local refused = {
      {"malformed XML, with line and column",
       "<View>\n  <Image name='a'></View>", "line 2, column 21"},
      {"a DOCTYPE declaration", "<!DOCTYPE v><View/>", "DOCTYPE"},
      {"an entity declaration",
       '<!DOCTYPE v [<!ENTITY a "b">]><View/>', "DOCTYPE"},
      {"a config over 1 MiB",
       "<View>" .. ("<!-- -->"):rep(140000) .. "</View>", "byte limit"},
      {"a value that is not a string", 42, "must be a string"},
    }
    for _, case in ipairs(refused) do
      it("refuses " .. case[1], function()
        local ok, err = pcall(lc.parse, case[2])
        assert.is_false(ok)
        assert.matches(case[3], err, 1, true)
      end)
    end
  end)

  describe("result_from", function()
    local cfg = lc.parse(PETS)

    it("returns a full result list as is", function()
      local list = {{id = "a", from_name = "cls", to_name = "img",
                     type = "choices", value = {choices = {"Dog"}}}}
      assert.equal(list, cfg:result_from(list))
    end)

    local cases = {
      {"a label string picks the Choices control that lists it", "Dog",
       {from_name = "cls", to_name = "img", type = "choices",
        value = {choices = {"Dog"}}}},
      {"an alias is stored as the alias", "Cat",
       {from_name = "cls", to_name = "img", type = "choices",
        value = {choices = {"cat"}}}},
      {"an unknown string goes to the one TextArea", "free text",
       {from_name = "note", to_name = "img", type = "textarea",
        value = {text = {"free text"}}}},
      {"a region table picks the rectangle control with its label",
       {x = 10, y = 20, width = 30, height = 40, label = {"Dog"}},
       {from_name = "box", to_name = "img", type = "rectanglelabels",
        value = {x = 10, y = 20, width = 30, height = 40, rotation = 0,
                 rectanglelabels = {"Dog"}}}},
      {"a region label may be a string",
       {x = 1, y = 2, width = 3, height = 4, label = "Bird",
        rotation = 5},
       {from_name = "box", to_name = "img", type = "rectanglelabels",
        value = {x = 1, y = 2, width = 3, height = 4, rotation = 5,
                 rectanglelabels = {"Bird"}}}},
    }
    for _, case in ipairs(cases) do
      it(case[1], function()
        local out = cfg:result_from(case[2])
        assert.equal(1, #out)
        assert.equal(10, #out[1].id)
        out[1].id = nil
        assert.same(case[3], out[1])
      end)
    end

    it("pairs Rectangle and Labels as two items sharing an id", function()
      local out = lc.parse(SPLIT):result_from{x = 10, y = 20, width = 30,
                                              height = 40, label = "Car"}
      assert.equal(2, #out)
      assert.equal(out[1].id, out[2].id)
      assert.same({"rectangle", "rect"}, {out[1].type, out[1].from_name})
      assert.same({"labels", "lab"}, {out[2].type, out[2].from_name})
      assert.same({"Car"}, out[2].value.labels)
      assert.is_nil(out[1].value.labels)
    end)

    it("marks a text span for the Labels control on a Text", function()
      local out = lc.parse(SPLIT):result_from{start = 0, ["end"] = 5,
                                              label = "PER"}
      assert.same({start = 0, ["end"] = 5, labels = {"PER"}},
                  out[1].value)
      assert.equal("ner", out[1].from_name)
    end)

    local errors = {
      {"an unknown region label, listing the valid labels", PETS,
       {x = 1, y = 2, width = 3, height = 4, label = "Cow"},
       'no rectangle control has label "Cow"; valid labels: "Dog", "Bird"'},
      {"a label that two controls list, naming both",
       [[<View><Image name="i" value="$i"/>
         <Choices name="a" toName="i"><Choice value="X"/></Choices>
         <Choices name="b" toName="i"><Choice value="X"/></Choices>
       </View>]], "X", 'several controls: "a", "b"'},
      {"a string with no Choices and no TextArea", SPLIT, "Car",
       "no Choices or Taxonomy control"},
      {"a region with no control of its shape", SPLIT,
       {points = {{1, 2}, {3, 4}, {5, 6}}, label = "Car"},
       "needs a polygon control"},
      {"a value of no known form", PETS, {foo = 1}, "cannot make a result"},
    }
    for _, case in ipairs(errors) do
      it("raises on " .. case[1], function()
        local c = lc.parse(case[2])
        local ok, err = pcall(c.result_from, c, case[3])
        assert.is_false(ok)
        assert.matches(case[4], err, 1, true)
      end)
    end

    it("raises at the caller's line", function()
      local ok, err = pcall(function() return cfg:result_from({}) end)
      assert.is_true(ok)
      local split = lc.parse(SPLIT)
      ok, err = pcall(function()
        local out = split:result_from("Cow!")
        return out
      end)
      assert.is_false(ok)
      assert.matches("label_config_spec.lua:%d+:", err)
    end)
  end)
end)
