package steps

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cyclezero/cyclezero/state"
)

// CurrentFingerprint reads the repository's half of the fingerprint:
// GitHead (empty when there are no commits yet), ConfigHash over the files
// ClassifyPath calls config, CodeHash over those it calls code, and
// DesignHash of the design doc (designPath, relative to repoRoot or
// absolute; DesignAbsent when the file does not exist; empty when
// designPath is empty). SchemaHash and DatasetVersion come from the
// catalog and are left for the caller.
//
// The hashes cover the working tree, not HEAD, so an uncommitted edit
// already counts; the files hashed are the ones git would see (tracked,
// plus untracked ones .gitignore does not exclude). Each hash is a sha256
// over the sorted "path NUL sha256(content)" lines, so a rename changes it
// too. Version numbers are blanked out of pyproject.toml and of the
// project's own entry in uv.lock before hashing: bump-version rewrites
// them right before tiers 2 and 3, and a version bump must not invalidate
// the passes that gate it.
//
// It does I/O: call it from a tea.Cmd or the CLI, never from Update.
func CurrentFingerprint(ctx context.Context, repoRoot string, designPath string) (state.Fingerprint, error) {
	var fp state.Fingerprint
	head, err := GitHead(ctx, repoRoot)
	if err != nil {
		return fp, err
	}
	fp.GitHead = head
	out, err := runGit(ctx, repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return fp, fmt.Errorf("list the repository's files: %w", err)
	}
	var config, code []string
	for _, p := range strings.Split(string(out), "\x00") {
		switch ClassifyPath(p) {
		case PathConfig:
			config = append(config, p)
		case PathCode:
			code = append(code, p)
		}
	}
	if fp.ConfigHash, err = hashFiles(ctx, repoRoot, config); err != nil {
		return fp, fmt.Errorf("hash src/configs/: %w", err)
	}
	if fp.CodeHash, err = hashFiles(ctx, repoRoot, code); err != nil {
		return fp, fmt.Errorf("hash the model and data-pipeline code: %w", err)
	}
	if fp.DesignHash, err = DesignHash(repoRoot, designPath); err != nil {
		return fp, err
	}
	return fp, nil
}

// DesignHash hashes the design doc at designPath (relative to repoRoot or
// absolute): DesignAbsent when it does not exist, "" when designPath is "".
func DesignHash(repoRoot, designPath string) (string, error) {
	if designPath == "" {
		return "", nil
	}
	if !filepath.IsAbs(designPath) {
		designPath = filepath.Join(repoRoot, designPath)
	}
	b, err := os.ReadFile(designPath)
	if errors.Is(err, fs.ErrNotExist) {
		return DesignAbsent, nil
	}
	if err != nil {
		return "", fmt.Errorf("read the design doc: %w", err)
	}
	return digest(b), nil
}

// hashFiles hashes the named files (slash paths relative to root). Files
// git lists that are gone from the disk (deleted, not yet committed) are
// left out, so the deletion changes the hash.
func hashFiles(ctx context.Context, root string, paths []string) (string, error) {
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		sum, ok, err := hashFile(root, p)
		if err != nil {
			return "", err
		}
		if ok {
			fmt.Fprintf(h, "%s\x00%s\n", p, sum)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(root, p string) (sum string, ok bool, err error) {
	full := filepath.Join(root, filepath.FromSlash(p))
	info, err := os.Lstat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("stat %s: %w", p, err)
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return "", false, fmt.Errorf("read link %s: %w", p, err)
		}
		return digest([]byte("symlink:" + target)), true, nil
	case info.IsDir():
		return "dir", true, nil // a submodule: its commit is not ours to hash
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", p, err)
	}
	switch p {
	case "pyproject.toml":
		b = blankPyprojectVersions(b)
	case "uv.lock":
		b = blankOwnLockVersion(b)
	}
	return digest(b), true, nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var versionLine = regexp.MustCompile(`^\s*(current_)?version\s*=`)

// blankPyprojectVersions drops `version = …` and bump-my-version's
// `current_version = …` lines.
func blankPyprojectVersions(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), len(b)+1)
	for sc.Scan() {
		if !versionLine.Match(sc.Bytes()) {
			out.Write(sc.Bytes())
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// blankOwnLockVersion drops the version line of uv.lock's entry for the
// project itself (the [[package]] whose source is the repo: editable or
// virtual "."); dependencies' versions stay.
func blankOwnLockVersion(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	var out strings.Builder
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && !strings.HasPrefix(lines[end], "[") {
			end++
		}
		block := lines[start:end]
		own := false
		for _, l := range block {
			t := strings.ReplaceAll(l, " ", "")
			if strings.HasPrefix(t, `source={editable="."}`) || strings.HasPrefix(t, `source={virtual="."}`) {
				own = true
			}
		}
		for _, l := range block {
			if own && strings.HasPrefix(l, "version = ") {
				continue
			}
			out.WriteString(l)
		}
		start = end
	}
	return []byte(out.String())
}
