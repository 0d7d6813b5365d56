package steps

import (
	"path"
	"strings"
)

// PathClass says what a repository path is for, as far as the tier ladder
// cares. The same classification decides which files go into the
// fingerprint's ConfigHash and CodeHash (see fingerprint.go), so the
// path-based route-back (ClassifyChange) and the hash-based one (Evaluate)
// always agree.
type PathClass int

// Path classes.
const (
	// PathOther is anything the rules below do not name (tests/, notebooks/,
	// CI files …). It invalidates no tier: the runner does not read it.
	PathOther PathClass = iota
	// PathIgnored is scratch space DerivaML's dirty check skips.
	PathIgnored
	// PathDocs is documentation: docs/, any *.md (tacit-knowledge.md too).
	PathDocs
	// PathConfig is the hydra-zen configuration under src/configs/.
	PathConfig
	// PathCode is model and data-pipeline code: everything else under src/,
	// pyproject.toml, uv.lock and .python-version (they decide what runs).
	PathCode
)

// String names the class in lower case.
func (c PathClass) String() string {
	switch c {
	case PathIgnored:
		return "ignored"
	case PathDocs:
		return "docs"
	case PathConfig:
		return "config"
	case PathCode:
		return "code"
	}
	return "other"
}

// DefaultIgnorePrefixes are the prefixes DerivaML's dirty check always
// skips (execution/workflow.py, _DEFAULT_DIRTY_CHECK_EXCLUSIONS).
var DefaultIgnorePrefixes = []string{"findings/", "outputs/", ".scratch/"}

// codeFiles are top-level files that change what a run executes.
var codeFiles = map[string]bool{"pyproject.toml": true, "uv.lock": true, ".python-version": true}

// ClassifyPath classifies one slash-separated path relative to the repo
// root. Rules, first match wins:
//  1. under findings/, outputs/ or .scratch/ → ignored (as DerivaML does);
//  2. build and bytecode artefacts (__pycache__/, *.pyc, *.pyo,
//     *.egg-info/) → ignored: running Python writes them, and they must
//     not make a run invalidate itself;
//  3. under docs/, or any *.md file → docs;
//  4. under src/configs/ → config;
//  5. anything else under src/, or pyproject.toml, uv.lock,
//     .python-version at the root → code;
//  6. everything else → other.
func ClassifyPath(p string) PathClass {
	p = strings.TrimPrefix(path.Clean(strings.ReplaceAll(p, "\\", "/")), "./")
	for _, pre := range DefaultIgnorePrefixes {
		if strings.HasPrefix(p, pre) {
			return PathIgnored
		}
	}
	if isBuildArtefact(p) {
		return PathIgnored
	}
	switch {
	case strings.HasPrefix(p, "docs/"), strings.EqualFold(path.Ext(p), ".md"):
		return PathDocs
	case strings.HasPrefix(p, "src/configs/"):
		return PathConfig
	case strings.HasPrefix(p, "src/"), codeFiles[p]:
		return PathCode
	}
	return PathOther
}

func isBuildArtefact(p string) bool {
	switch path.Ext(p) {
	case ".pyc", ".pyo":
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "__pycache__" || strings.HasSuffix(seg, ".egg-info") {
			return true
		}
	}
	return false
}

// ChangeKind is the set of kinds of change between two states of a repo
// (and its dev dataset). It is a bit set: a commit can touch config and
// code at once.
type ChangeKind uint8

// Change kinds. ChangeNone (zero) means nothing the ladder cares about.
const (
	ChangeConfig  ChangeKind = 1 << iota // src/configs/
	ChangeCode                           // model or data-pipeline code
	ChangeDataset                        // the dev dataset was re-released or replaced
	ChangeDocs                           // documentation only
	ChangeOther                          // paths no rule names
	ChangeNone    ChangeKind = 0
)

// Has reports whether k includes every bit of x.
func (k ChangeKind) Has(x ChangeKind) bool { return x != 0 && k&x == x }

// String lists the kinds joined with "+", or "none".
func (k ChangeKind) String() string {
	if k == ChangeNone {
		return "none"
	}
	var parts []string
	for _, n := range []struct {
		bit  ChangeKind
		name string
	}{{ChangeConfig, "config"}, {ChangeCode, "code"}, {ChangeDataset, "dataset"}, {ChangeDocs, "docs"}, {ChangeOther, "other"}} {
		if k&n.bit != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "+")
}

// ClassifyChange folds the classes of changed paths into a ChangeKind.
// Ignored paths contribute nothing, so a change that only touches
// findings/ is ChangeNone.
func ClassifyChange(changedPaths []string) ChangeKind {
	var k ChangeKind
	for _, p := range changedPaths {
		switch ClassifyPath(p) {
		case PathConfig:
			k |= ChangeConfig
		case PathCode:
			k |= ChangeCode
		case PathDocs:
			k |= ChangeDocs
		case PathOther:
			k |= ChangeOther
		}
	}
	return k
}

// ReentryTier is the tier a change routes back to: the lowest tier whose
// fingerprint the change touches (see tierFields). Config → 1 (the dry run
// resolves the config); code or the dev dataset → 2 (the dry run skips the
// model function, so only a real run exercises them); docs, other paths or
// nothing → 0, meaning every tier that passed still stands.
func ReentryTier(kind ChangeKind) int {
	switch {
	case kind&ChangeConfig != 0:
		return 1
	case kind&(ChangeCode|ChangeDataset) != 0:
		return 2
	}
	return 0
}
