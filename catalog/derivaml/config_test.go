package derivaml_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	cfg, err := derivaml.ParseConfig(strings.NewReader(
		`{"datasets":[{"rid":"1-ABC4","version":"0.4"}],"assets":["2-B4C8"],"workflow":"28CT"}`))
	require.NoError(t, err)
	assert.Equal(t, derivaml.Config{Datasets: []derivaml.DatasetSpec{{RID: "1-ABC4", Version: "0.4.0"}},
		Assets: assetSpecs("2-B4C8"), Workflow: "28CT"}, cfg)
	empty, err := derivaml.ParseConfig(strings.NewReader(`{}`))
	require.NoError(t, err)
	assert.Equal(t, derivaml.Config{}, empty)
}

// What DerivaML's ExecutionConfiguration accepts is accepted: shorthand
// strings, DatasetSpec's other fields, version lists, AssetSpec and
// Workflow objects, the fields validation does not check, and any
// spelling of a RID.
func TestParseConfigAcceptsDerivaMLForms(t *testing.T) {
	t.Parallel()
	cfg, err := derivaml.ParseConfig(strings.NewReader(`{
		"datasets": ["754@0.2.0", "1-abc4", {"rid": "2-b4c8", "version": [1, 2, 0], "materialize": false,
			"description": "x", "exclude_tables": ["A"], "timeout": [10, 610], "fetch_concurrency": 4},
			{"rid": "28CT", "version": "0.4.0.post1.dev2"}],
		"assets": [{"rid": "3jse", "cache": true}, {"path": "local.csv"}, "0001-ABC4"],
		"workflow": {"rid": "2-b4c8", "name": "train", "url": "https://example.org"},
		"description": "a run", "argv": ["x"], "config_choices": {"model": "small"}
	}`))
	require.NoError(t, err)
	assert.Equal(t, derivaml.Config{
		Datasets: []derivaml.DatasetSpec{{RID: "754", Version: "0.2.0"}, {RID: "1-ABC4", Version: "0.0.0"},
			{RID: "2-B4C8", Version: "1.2.0"}, {RID: "28CT", Version: "0.4.0.post1.dev2"}},
		Assets:   []derivaml.AssetSpec{{RID: "3JSE", Cache: true}, {RID: "1-ABC4"}},
		Workflow: "2-B4C8",
	}, cfg)
	// DerivaML's Workflow names its RID workflow_rid; the legacy "rid"
	// agreeing with it is fine, and a workflow with neither is not checked.
	for in, want := range map[string]string{
		`{"workflow":{"name":"x","workflow_type":"Training","workflow_rid":"3-ZZZZ"}}`: "3-ZZZZ",
		`{"workflow":{"workflow_rid":"1-abc4","rid":"1-ABC4"}}`:                        "1-ABC4",
		`{"workflow":{"name":"x","workflow_type":"Training"}}`:                         "",
	} {
		cfg, err := derivaml.ParseConfig(strings.NewReader(in))
		require.NoError(t, err, in)
		assert.Equal(t, want, cfg.Workflow, in)
	}
	cfg, err = derivaml.ParseConfig(strings.NewReader(`{"workflow": null, "datasets": null}`))
	require.NoError(t, err)
	assert.Equal(t, derivaml.Config{}, cfg)
}

// Malformed input gets a message naming the JSON path and the shape
// wanted, never a Go type.
func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		``:                                   `config: empty input: want a JSON object such as {"datasets":`,
		`[]`:                                 `config: the top level must be a JSON object such as {"datasets":[{"rid":"1-ABC4","version":"0.4.0"} or "1-ABC4@0.4.0"],"assets":["RID"],"workflow":"RID"}, not a list`,
		`not json`:                           "config: not valid JSON at line 1, column 2: invalid character 'o' in literal null (expecting 'u')",
		"{\n \"datasets\": [,]}":             "config: not valid JSON at line 2, column 15: invalid character ','",
		`{"datasets":[`:                      "config: not valid JSON: the input ends in the middle of a value",
		`{"dataset":[]}`:                     `config: unknown field "dataset" (an execution configuration has argv, assets, config_choices, datasets, description, workflow)`,
		`{"datasets":{}}`:                    "config: datasets: want a list, not an object",
		`{"datasets":[{"rid":"1-ABC4"}]}`:    `config: datasets[0]: "version" is missing: pin a released version such as 0.4.0`,
		`{"datasets":[{"version":"1.0.0"}]}`: `config: datasets[0]: "rid" is missing (want {"rid":"1-ABC4","version":"0.4.0"})`,
		`{"datasets":[{"rid":"x y","version":"1.0.0"}]}`:      `config: datasets[0].rid: "x y" is not a RID (e.g. 1-ABC4)`,
		`{"datasets":[{"rid":7,"version":"1.0.0"}]}`:          `config: datasets[0].rid: want a RID string such as "1-ABC4", not a number (7)`,
		`{"datasets":[{"rid":"1-ABC4","version":"new"}]}`:     `config: datasets[0].version: "new" is not a PEP 440 version`,
		`{"datasets":[{"rid":"1-ABC4","version":0.4}]}`:       `config: datasets[0].version: want a version string such as "0.4.0" or a [major, minor, patch] list such as [0, 4, 0], not a number (0.4)`,
		`{"datasets":[{"rid":"1-ABC4","version":[1,2]}]}`:     `config: datasets[0].version: want a version string`,
		`{"datasets":["1-ABC4@"]}`:                            `config: datasets[0].version: the version is empty`,
		`{"datasets":["1-ABC4@latest"]}`:                      `config: datasets[0].version: "latest" is not a PEP 440 version`,
		`{"datasets":[42]}`:                                   `config: datasets[0]: want a dataset spec such as {"rid":"1-ABC4","version":"0.4.0"} or "1-ABC4@0.4.0", not a number (42)`,
		`{"assets":[{"cache":true}]}`:                         `config: assets[0]: "rid" is missing (want "RID" or {"rid":"RID"})`,
		`{"assets":[true]}`:                                   `config: assets[0]: want an asset RID such as "1-ABC4" or {"rid":"1-ABC4"}, not a boolean`,
		`{"assets":["x y"]}`:                                  `config: assets[0]: "x y" is not a RID`,
		`{"workflow":"n@pe"}`:                                 `config: workflow: "n@pe" is not a RID`,
		`{"workflow":{"rid":["1-ABC4"]}}`:                     `config: workflow.rid: want a RID string such as "1-ABC4", not a list`,
		`{"assets":[{"rid":"1-ABC4","cache":"yes"}]}`:         `config: assets[0].cache: want true or false, not the string "yes"`,
		`{"workflow":{"workflow_rid":7}}`:                     `config: workflow.workflow_rid: want a RID string such as "1-ABC4", not a number (7)`,
		`{"workflow":{"workflow_rid":"1-ABC4","rid":"28CT"}}`: `config: workflow: "workflow_rid" is 1-ABC4 but "rid" is 28CT: give the RID once, as "workflow_rid"`,
		`{} {}`: "config: unexpected data after the JSON value at line 1, column 4",
	} {
		_, err := derivaml.ParseConfig(strings.NewReader(in))
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), want, in)
		}
	}
}

// FuzzParseConfig checks that any input either parses to RIDs and PEP 440
// versions that parse again to the same configuration, or fails with a
// message free of Go's type names.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		`{"datasets":[{"rid":"1-ABC4","version":"0.4"}],"assets":["2-B4C8"],"workflow":"28CT"}`,
		`{"datasets":["754@0.2.0","1-abc4",{"rid":"2-b4c8","version":[1,2,0],"materialize":false}]}`,
		`{"assets":[{"rid":"3jse"},{"path":"x"}],"workflow":{"rid":"1-ABC4"}}`,
		`[]`, `{"datasets":["754@0.2.0"]}`, `{"datasets":{}}`, `{"workflow":7}`, `nul`, `{"a":1}`, `"x"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := derivaml.ParseConfig(strings.NewReader(in))
		if err != nil {
			msg := err.Error()
			for _, leak := range []string{"Go value", "derivaml.", "map[", "interface {}", "[]interface", "json.Number", "struct"} {
				if strings.Contains(msg, leak) {
					t.Fatalf("error for %q leaks Go types: %s", in, msg)
				}
			}
			if !strings.HasPrefix(msg, "config: ") {
				t.Fatalf("error for %q does not say it is about the config: %s", in, msg)
			}
			return
		}
		check := func(rid string) {
			if !catalog.LooksLikeRID(rid) {
				t.Fatalf("%q parsed to a non-RID %q", in, rid)
			}
		}
		for _, d := range cfg.Datasets {
			check(d.RID)
			v, err := derivaml.ParseVersion(d.Version)
			if err != nil || v.String() != d.Version {
				t.Fatalf("%q parsed to a non-canonical version %q", in, d.Version)
			}
		}
		for _, a := range cfg.Assets {
			check(a.RID)
		}
		if cfg.Workflow != "" {
			check(cfg.Workflow)
		}
		// The parsed form, written back out, reads the same.
		out := map[string]any{"datasets": cfg.Datasets, "assets": cfg.Assets, "workflow": cfg.Workflow}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		again, err := derivaml.ParseConfig(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("%s does not parse again: %v", b, err)
		}
		if !equalConfig(cfg, again) {
			t.Fatalf("%q parsed to %+v, and again to %+v", in, cfg, again)
		}
	})
}

func equalConfig(a, b derivaml.Config) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
