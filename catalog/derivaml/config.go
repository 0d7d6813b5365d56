package derivaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// DatasetSpec names a dataset at a version, as DerivaML's DatasetSpec does
// (version is required).
type DatasetSpec struct {
	RID     string `json:"rid"`
	Version string `json:"version"`
}

// AssetSpec names an input asset by RID (DerivaML's AssetSpec: rid, and
// cache, default false, which caches the download by MD5 across runs).
type AssetSpec struct {
	RID   string `json:"rid"`
	Cache bool   `json:"cache"`
}

// Config is the part of an ExecutionConfiguration that
// validate_execution_configuration checks.
type Config struct {
	Datasets []DatasetSpec
	Assets   []AssetSpec
	Workflow string // a Workflow RID, or "" for none
}

// configShape is the file format, for error messages.
const configShape = `{"datasets":[{"rid":"1-ABC4","version":"0.4.0"} or "1-ABC4@0.4.0"],"assets":["RID"],"workflow":"RID"}`

// configFields are the ExecutionConfiguration fields a file may hold
// (extra="forbid"); only datasets, assets and workflow are checked.
var configFields = []string{"argv", "assets", "config_choices", "datasets", "description", "workflow"}

// ParseConfig reads an ExecutionConfiguration as JSON, accepting what
// DerivaML's pydantic models accept for the fields it checks:
//   - datasets: DatasetSpec objects ({"rid","version"}, other DatasetSpec
//     fields such as "materialize" ignored) or "RID@1.2.0" shorthand
//     strings (a bare "RID" means version 0.0.0, as DerivaML reads it);
//     a version is a PEP 440 string or a [major, minor, patch] list;
//   - assets: RID strings or AssetSpec objects ({"rid", "cache"}, cache
//     kept for the report's spec echo); LocalFile
//     objects ({"path"}) are not catalog RIDs and are skipped;
//   - workflow: a Workflow RID, null, or a Workflow object whose RID is
//     "workflow_rid" (or the legacy "rid"; both must agree).
//
// RIDs are normalized to their canonical spelling (upper case, dashes
// placed). Errors name the JSON path of the bad value and the shape wanted.
func ParseConfig(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	root, err := decodeJSON(data)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return Config{}, fmt.Errorf("config: the top level must be a JSON object such as %s, not %s", configShape, jsonKind(root))
	}
	for _, k := range sortedKeys(obj) {
		if _, known := sortSearch(configFields, k); !known {
			return Config{}, fmt.Errorf("config: unknown field %q (an execution configuration has %s)", k, strings.Join(configFields, ", "))
		}
	}
	var cfg Config
	if cfg.Datasets, err = parseDatasets(obj["datasets"]); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if cfg.Assets, err = parseAssets(obj["assets"]); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if cfg.Workflow, err = parseWorkflow(obj["workflow"]); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}

func sortSearch(sorted []string, s string) (int, bool) {
	i := sort.SearchStrings(sorted, s)
	return i, i < len(sorted) && sorted[i] == s
}

func parseDatasets(v any) ([]DatasetSpec, error) {
	items, err := listAt("datasets", v)
	if err != nil {
		return nil, err
	}
	var out []DatasetSpec
	for i, item := range items {
		path := fmt.Sprintf("datasets[%d]", i)
		spec, err := parseDatasetSpec(path, item)
		if err != nil {
			return nil, err
		}
		out = append(out, spec)
	}
	return out, nil
}

func parseDatasetSpec(path string, v any) (DatasetSpec, error) {
	var ridV, versionV any
	switch x := v.(type) {
	case string: // DatasetSpec.from_shorthand: "RID@version" or "RID"
		rid, version, found := strings.Cut(x, "@")
		ridV, versionV = rid, version
		if !found {
			versionV = "0.0.0"
		}
	case map[string]any:
		var ok bool
		if ridV, ok = x["rid"]; !ok || ridV == nil {
			return DatasetSpec{}, fmt.Errorf(`%s: "rid" is missing (want {"rid":"1-ABC4","version":"0.4.0"})`, path)
		}
		if versionV, ok = x["version"]; !ok || versionV == nil {
			return DatasetSpec{}, fmt.Errorf(`%s: "version" is missing: pin a released version such as 0.4.0`, path)
		}
	default:
		return DatasetSpec{}, fmt.Errorf(`%s: want a dataset spec such as {"rid":"1-ABC4","version":"0.4.0"} or "1-ABC4@0.4.0", not %s`,
			path, jsonKind(v))
	}
	rid, err := ridAt(path+".rid", ridV)
	if err != nil {
		return DatasetSpec{}, err
	}
	version, err := versionAt(path+".version", versionV)
	if err != nil {
		return DatasetSpec{}, err
	}
	return DatasetSpec{RID: rid, Version: version}, nil
}

// versionAt reads a DatasetSpec version: a PEP 440 string or a
// [major, minor, patch] list of integers, in canonical form.
func versionAt(path string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return "", fmt.Errorf("%s: the version is empty: pin a released version such as 0.4.0", path)
		}
		pv, err := ParseVersion(x)
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return pv.String(), nil
	case []any:
		if parts, ok := releaseTriple(x); ok {
			return Version{Release: parts, Post: -1, Dev: -1}.String(), nil
		}
	}
	return "", fmt.Errorf(`%s: want a version string such as "0.4.0" or a [major, minor, patch] list such as [0, 4, 0], not %s`,
		path, jsonKind(v))
}

// releaseTriple reads [major, minor, patch] as non-negative integers.
func releaseTriple(items []any) ([]int, bool) {
	if len(items) != 3 {
		return nil, false
	}
	parts := make([]int, 3)
	for i, p := range items {
		n, ok := p.(json.Number)
		if !ok {
			return nil, false
		}
		k, err := n.Int64()
		if err != nil || k < 0 || k > 1<<31 {
			return nil, false
		}
		parts[i] = int(k)
	}
	return parts, true
}

func parseAssets(v any) ([]AssetSpec, error) {
	items, err := listAt("assets", v)
	if err != nil {
		return nil, err
	}
	var out []AssetSpec
	for i, item := range items {
		path := fmt.Sprintf("assets[%d]", i)
		ridV := item
		var cache bool
		if obj, ok := item.(map[string]any); ok {
			if _, local := obj["path"]; local && obj["rid"] == nil {
				continue // a LocalFile: not in the catalog
			}
			if ridV, ok = obj["rid"]; !ok || ridV == nil {
				return nil, fmt.Errorf(`%s: "rid" is missing (want "RID" or {"rid":"RID"})`, path)
			}
			if c, set := obj["cache"]; set && c != nil {
				if cache, ok = c.(bool); !ok {
					return nil, fmt.Errorf(`%s.cache: want true or false, not %s`, path, jsonKind(c))
				}
			}
			path += ".rid"
		} else if _, ok := item.(string); !ok {
			return nil, fmt.Errorf(`%s: want an asset RID such as "1-ABC4" or {"rid":"1-ABC4"}, not %s`, path, jsonKind(item))
		}
		rid, err := ridAt(path, ridV)
		if err != nil {
			return nil, err
		}
		out = append(out, AssetSpec{RID: rid, Cache: cache})
	}
	return out, nil
}

// parseWorkflow reads the workflow: a RID, null, or a Workflow object,
// whose RID is DerivaML's "workflow_rid" (the legacy "rid" is accepted
// too). An object with neither is a workflow not yet in the catalog, so,
// as in DerivaML, nothing is checked.
func parseWorkflow(v any) (string, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil || v == "" {
			return "", nil
		}
		return ridAt("workflow", v)
	}
	var rid, from string
	for _, field := range []string{"workflow_rid", "rid"} {
		if fv := obj[field]; fv != nil && fv != "" {
			r, err := ridAt("workflow."+field, fv)
			if err != nil {
				return "", err
			}
			if rid != "" && r != rid {
				return "", fmt.Errorf(`workflow: "%s" is %s but "%s" is %s: give the RID once, as "workflow_rid"`,
					from, rid, field, r)
			}
			rid, from = r, field
		}
	}
	return rid, nil
}

// listAt reads an optional JSON list.
func listAt(path string, v any) ([]any, error) {
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a list, not %s", path, jsonKind(v))
	}
	return items, nil
}

// ridAt reads a RID string in its canonical spelling (catalog.NormalizeRID),
// or as written when it has DerivaML's RID shape but no canonical form.
func ridAt(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf(`%s: want a RID string such as "1-ABC4", not %s`, path, jsonKind(v))
	}
	if c, ok := catalog.NormalizeRID(strings.TrimSpace(s)); ok {
		return c, nil
	}
	if !catalog.LooksLikeRID(s) {
		return "", fmt.Errorf("%s: %s is not a RID (e.g. 1-ABC4)", path, quoteShort(s))
	}
	return s, nil
}

// decodeJSON reads exactly one JSON value, numbers kept as json.Number,
// with syntax errors placed by line and column.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty input: want a JSON object such as " + configShape)
		}
		return nil, fmt.Errorf("%w (want a JSON object such as %s)", syntaxError(data, err), configShape)
	}
	rest := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		for rest < int64(len(data)) && strings.ContainsRune(" \t\r\n", rune(data[rest])) {
			rest++
		}
		line, col := lineCol(data, rest+1)
		return nil, fmt.Errorf("unexpected data after the JSON value at line %d, column %d", line, col)
	}
	return v, nil
}

func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return fmt.Errorf("not valid JSON at line %d, column %d: %s", line, col, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("not valid JSON: the input ends in the middle of a value")
	}
	return fmt.Errorf("not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// lineCol places the byte that ends the first off bytes (a
// json.SyntaxError's Offset) by 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}

// quoteShort quotes s for a message, cut to its first 40 characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 40 {
		return fmt.Sprintf("%q…", string(r[:40]))
	}
	return fmt.Sprintf("%q", s)
}

// jsonKind names a decoded JSON value's type for messages.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number (" + x.String() + ")"
	case string:
		return "the string " + quoteShort(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "an unexpected value"
}
