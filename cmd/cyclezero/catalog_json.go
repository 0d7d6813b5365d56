package main

import (
	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
)

// The --json documents of the catalog commands. Each is a struct of its
// own with explicit snake_case keys, so the output is a stable interface
// for scripts and not whatever the Go field names of a library type are.

// showJSON is `catalog show --json`: DerivaML's classification of the
// table beside ERMrest's own table document, whose "kind" is ERMrest's
// ("table", "view"), hence derivaml_kind for the other.
type showJSON struct {
	DerivaMLKind derivaml.TableKind `json:"derivaml_kind"`
	Table        *catalog.Table     `json:"table"`
}

// whoamiJSON is `catalog whoami --json`.
type whoamiJSON struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"display_name"`
	FullName    string   `json:"full_name"`
	Email       string   `json:"email"`
	Groups      []string `json:"groups"`
	Anonymous   bool     `json:"anonymous"`
	// CredentialRefused: the server refused a saved credential that was
	// sent (ermrest.ErrLoginRefused: a 401, webauthn's "no session" 404,
	// or a refused password login), which leaves the caller anonymous.
	CredentialRefused bool `json:"credential_refused"`
}

func newWhoamiJSON(id catalog.Identity, refused bool) whoamiJSON {
	groups := id.Groups
	if groups == nil {
		groups = []string{}
	}
	return whoamiJSON{ID: id.ID, DisplayName: id.DisplayName, FullName: id.FullName, Email: id.Email,
		Groups: groups, Anonymous: id.Anonymous, CredentialRefused: refused}
}

// seedJSON is `catalog seed-demo --json`.
type seedJSON struct {
	Catalog        string         `json:"catalog"` // the catalog described for people
	DB             string         `json:"db"`      // the embedded catalog file seeded, as serve --json names it
	Schema         string         `json:"schema"`
	Subjects       int            `json:"subjects"`
	Images         int            `json:"images"`
	Labelled       int            `json:"labelled"`
	Unlabelled     int            `json:"unlabelled"`
	ClassCounts    map[string]int `json:"class_counts"`
	Workflow       string         `json:"workflow_rid"`
	Execution      string         `json:"execution_rid"`
	Dataset        string         `json:"dataset_rid"`
	DatasetVersion string         `json:"dataset_version"`
	AlreadySeeded  bool           `json:"already_seeded"` // the demo was there already; nothing was written
}

func newSeedJSON(describe, db string, s demo.Summary, already bool) seedJSON {
	return seedJSON{Catalog: describe, DB: db, Schema: s.Schema, Subjects: s.Subjects, Images: s.Images,
		Labelled: s.Labelled, Unlabelled: s.Unlabelled, ClassCounts: s.ClassCounts,
		Workflow: s.Workflow, Execution: s.Execution, Dataset: s.Dataset, DatasetVersion: s.DatasetVersion,
		AlreadySeeded: already}
}
