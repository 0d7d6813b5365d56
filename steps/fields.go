package steps

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/state"
)

// Field names one input recorded in a state.Fingerprint.
type Field int

// Fingerprint fields.
const (
	FieldDesign  Field = iota // DesignHash: the design doc
	FieldSchema               // SchemaHash: the catalog model
	FieldDataset              // DatasetVersion: the dev dataset RID@version
	FieldConfig               // ConfigHash: src/configs/
	FieldCode                 // CodeHash: model and data-pipeline code
	FieldGitHead              // GitHead: the commit
)

// DesignAbsent is the DesignHash of a design doc that does not exist, so
// that deleting the doc reads as a change rather than as "unknown".
const DesignAbsent = "absent"

// String names the field as the session JSON does.
func (f Field) String() string {
	switch f {
	case FieldDesign:
		return "design_hash"
	case FieldSchema:
		return "schema_hash"
	case FieldDataset:
		return "dataset_version"
	case FieldConfig:
		return "config_hash"
	case FieldCode:
		return "code_hash"
	case FieldGitHead:
		return "git_head"
	}
	return fmt.Sprintf("field(%d)", int(f))
}

// Value returns f's value in fp ("" when not recorded).
func (f Field) Value(fp state.Fingerprint) string {
	switch f {
	case FieldDesign:
		return fp.DesignHash
	case FieldSchema:
		return fp.SchemaHash
	case FieldDataset:
		return fp.DatasetVersion
	case FieldConfig:
		return fp.ConfigHash
	case FieldCode:
		return fp.CodeHash
	case FieldGitHead:
		return fp.GitHead
	}
	return ""
}

// Change is one field that differs between a recorded fingerprint and the
// current one, with the reason in words.
type Change struct {
	Field    Field
	Old, New string
	Reason   string
}

// Mode says how a missing value is judged.
type Mode int

const (
	// Lenient judges a field only when both sides recorded it: a missing
	// value means "not measured", never "changed". Phases 1–4 and Iterate
	// use it, so a dashboard that cannot reach the catalog does not mark
	// the schema phase stale.
	Lenient Mode = iota
	// Strict is for the tier ladder: a pass counts only when it provably
	// matches. A missing config or code hash falls back to comparing git
	// HEADs (equal HEADs: unchanged); when that is unknown too, the field
	// counts as changed. A dataset recorded on one side only is a change.
	Strict
)

// Diff returns the changes among fields from old to cur, in fields' order.
// since completes the reason ("since this phase was done").
func Diff(old, cur state.Fingerprint, fields []Field, mode Mode, since string) []Change {
	var out []Change
	for _, f := range fields {
		if c, ok := diffField(f, old, cur, mode, since); ok {
			out = append(out, c)
		}
	}
	return out
}

func diffField(f Field, old, cur state.Fingerprint, mode Mode, since string) (Change, bool) {
	o, n := f.Value(old), f.Value(cur)
	c := Change{Field: f, Old: o, New: n}
	if o != "" && n != "" {
		if o == n {
			return c, false
		}
		c.Reason = describe(f, o, n, since)
		if head := headMove(old, cur); head != "" && (f == FieldConfig || f == FieldCode) {
			c.Reason += " (" + head + ")"
		}
		return c, true
	}
	if mode == Lenient || (o == "" && n == "") {
		return c, false
	}
	subject := strings.TrimPrefix(since, "since ")
	if subject == "" {
		subject = "the earlier fingerprint"
	}
	switch f {
	case FieldConfig, FieldCode:
		what := map[Field]string{FieldConfig: "config", FieldCode: "code"}[f]
		oh, nh := old.GitHead, cur.GitHead
		switch {
		case oh != "" && oh == nh:
			return c, false
		case oh != "" && nh != "":
			c.Reason = headMove(old, cur) + " and the " + what + " hash was not recorded"
		default:
			c.Reason = subject + " recorded no " + what + " hash, so it cannot be matched"
		}
	case FieldDataset:
		if o == "" {
			c.Reason = subject + " recorded no dev dataset; now " + n + " is pinned"
		} else {
			c.Reason = "no dev dataset is pinned now (it was " + o + ")"
		}
	default:
		c.Reason = describe(f, o, n, since)
	}
	return c, true
}

func describe(f Field, o, n, since string) string {
	switch f {
	case FieldDesign:
		if n == DesignAbsent {
			return "the design doc is missing (deleted or moved)"
		}
		return "the design doc changed " + since
	case FieldSchema:
		return "the catalog schema changed " + since
	case FieldDataset:
		or, ov := splitDataset(o)
		nr, nv := splitDataset(n)
		if or == nr && ov != "" && nv != "" {
			return "the dev dataset was re-released, from " + ov + " to " + nv
		}
		return "a different dev dataset is pinned: " + n + " instead of " + o
	case FieldConfig:
		return "the config (src/configs/) changed " + since
	case FieldCode:
		return "model or data-pipeline code changed " + since
	case FieldGitHead:
		return "HEAD moved from " + ShortSHA(o) + " to " + ShortSHA(n)
	}
	return f.String() + " changed " + since
}

// headMove says how HEAD moved between two fingerprints, or "" when it
// did not (or is unknown on either side).
func headMove(old, cur state.Fingerprint) string {
	if old.GitHead == "" || cur.GitHead == "" || old.GitHead == cur.GitHead {
		return ""
	}
	return describe(FieldGitHead, old.GitHead, cur.GitHead, "")
}

// splitDataset splits "RID@version" at the last "@".
func splitDataset(v string) (rid, version string) {
	i := strings.LastIndex(v, "@")
	if i < 0 {
		return v, ""
	}
	return v[:i], v[i+1:]
}

// DatasetVersion formats a dev dataset pin as the fingerprint stores it.
func DatasetVersion(rid, version string) string {
	if rid == "" {
		return ""
	}
	return rid + "@" + version
}

// ShortSHA abbreviates a commit id to 7 characters, as git does.
func ShortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// FingerprintChange classifies the difference between two fingerprints
// as a ChangeKind, judging config, code and dataset strictly (as the
// ladder does) and the design doc as docs. Feed it to ReentryTier.
func FingerprintChange(old, cur state.Fingerprint) ChangeKind {
	k := changeKinds(Diff(old, cur, []Field{FieldConfig, FieldCode, FieldDataset}, Strict, ""))
	if len(Diff(old, cur, []Field{FieldDesign}, Lenient, "")) > 0 {
		k |= ChangeDocs
	}
	return k
}

// fieldKinds says which kind of change a changed fingerprint field is, for
// route-back; other fields do not move the ladder.
var fieldKinds = map[Field]ChangeKind{FieldConfig: ChangeConfig, FieldCode: ChangeCode, FieldDataset: ChangeDataset}

// changeKinds folds the kinds of field changes.
func changeKinds(cs []Change) ChangeKind {
	var k ChangeKind
	for _, c := range cs {
		k |= fieldKinds[c.Field]
	}
	return k
}

// reasons joins the reasons of changes with "; ".
func reasons(cs []Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Reason
	}
	return strings.Join(parts, "; ")
}
