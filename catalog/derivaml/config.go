package derivaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// DatasetSpec names a dataset at a version, as DerivaML's DatasetSpec does
// (version is required).
type DatasetSpec struct {
	RID     string `json:"rid"`
	Version string `json:"version"`
}

// AssetSpec names an input asset by RID (DerivaML's AssetSpec).
type AssetSpec struct {
	RID   string `json:"rid"`
	Cache bool   `json:"cache"`
}

// Config is the part of an ExecutionConfiguration that
// validate_execution_configuration checks.
type Config struct {
	Datasets []DatasetSpec
	Assets   []string
	Workflow string // a Workflow RID, or "" for none
}

// configFile is the JSON shape the CLI reads:
// {"datasets":[{"rid","version"}],"assets":["RID"],"workflow":"RID"}.
type configFile struct {
	Datasets []json.RawMessage `json:"datasets"`
	Assets   []json.RawMessage `json:"assets"`
	Workflow *string           `json:"workflow"`
}

// ParseConfig reads a configuration file, rejecting unknown fields,
// missing versions and values that are not RIDs with errors that say which
// entry is wrong.
func ParseConfig(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	var f configFile
	if err := strictDecode(data, &f); err != nil {
		return Config{}, fmt.Errorf(`config: %w (want {"datasets":[{"rid":"…","version":"…"}],"assets":["RID"],"workflow":"RID"})`, err)
	}
	var cfg Config
	for i, raw := range f.Datasets {
		var spec struct {
			RID     *string `json:"rid"`
			Version *string `json:"version"`
		}
		if err := strictDecode(raw, &spec); err != nil {
			return Config{}, fmt.Errorf(`config: datasets[%d]: %w (want {"rid":"…","version":"…"})`, i, err)
		}
		switch {
		case spec.RID == nil || *spec.RID == "":
			return Config{}, fmt.Errorf("config: datasets[%d]: \"rid\" is missing", i)
		case !catalog.LooksLikeRID(*spec.RID):
			return Config{}, fmt.Errorf("config: datasets[%d]: rid %q is not a RID (e.g. 1-ABC4)", i, *spec.RID)
		case spec.Version == nil || *spec.Version == "":
			return Config{}, fmt.Errorf("config: datasets[%d]: \"version\" is missing: pin a released version such as 0.4.0", i)
		}
		v, err := ParseVersion(*spec.Version)
		if err != nil {
			return Config{}, fmt.Errorf("config: datasets[%d]: %w", i, err)
		}
		cfg.Datasets = append(cfg.Datasets, DatasetSpec{RID: *spec.RID, Version: v.String()})
	}
	for i, raw := range f.Assets {
		var rid string
		if err := json.Unmarshal(raw, &rid); err != nil {
			return Config{}, fmt.Errorf("config: assets[%d]: want a RID string, got %s", i, bytes.TrimSpace(raw))
		}
		if !catalog.LooksLikeRID(rid) {
			return Config{}, fmt.Errorf("config: assets[%d]: %q is not a RID (e.g. 1-ABC4)", i, rid)
		}
		cfg.Assets = append(cfg.Assets, rid)
	}
	if f.Workflow != nil && *f.Workflow != "" {
		if !catalog.LooksLikeRID(*f.Workflow) {
			return Config{}, fmt.Errorf("config: workflow: %q is not a RID (e.g. 1-ABC4)", *f.Workflow)
		}
		cfg.Workflow = *f.Workflow
	}
	return cfg, nil
}

// strictDecode decodes one JSON value, refusing unknown fields and
// trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty input")
		}
		return cleanJSONError(err)
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func cleanJSONError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return errors.New(msg)
}
