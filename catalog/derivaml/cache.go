package derivaml

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Bag cache statuses (dataset/bag_cache.py CacheStatus). A bag with asset
// bytes missing is cached_holey (older DerivaML: cached_incomplete).
// cached_metadata_only exists but DerivaML's detector never returns it.
const (
	CacheNotCached          = "not_cached"
	CacheMetadataOnly       = "cached_metadata_only"
	CacheMaterialized       = "cached_materialized"
	CacheHoley              = "cached_holey"
	CacheIncomplete         = CacheHoley
	knownCacheIndexVersion  = 1
	cacheIndexFile          = "index.sqlite"
	cacheBagsDir            = "bags"
	datasetBagDirNamePrefix = "Dataset_"
)

// CacheInfo is a dataset's cache status as bag_info reports it.
type CacheInfo struct {
	Status         string   `json:"status"`
	CachePath      *string  `json:"cache_path"`
	VersionsCached []string `json:"versions_cached"` // cached bag checksums, newest first
}

// DefaultWorkingDir is DerivaML's default working directory,
// ~/.deriva-ml/<hostname>/<catalog_id>.
func DefaultWorkingDir(hostname, catalogID string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find home directory for the DerivaML working directory: %w", err)
	}
	return filepath.Join(home, ".deriva-ml", hostname, catalogID), nil
}

// DefaultCacheDir is DerivaML's default bag cache, <working_dir>/cache.
func DefaultCacheDir(hostname, catalogID string) (string, error) {
	wd, err := DefaultWorkingDir(hostname, catalogID)
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, "cache"), nil
}

// CacheStatus reports whether a dataset's bag is in DerivaML's local cache,
// reading {cacheDir}/index.sqlite read-only (deriva-ml may be writing it):
// not_cached without an index entry or when the newest bag's directory
// {cacheDir}/bags/{checksum}/Dataset_{rid} is gone; cached_materialized when
// the bag is structurally valid and every fetch.txt entry is on disk;
// cached_holey otherwise. The status is per dataset, not per version. RIDs
// are compared in their canonical spelling, so "1-abc2", "1ABC2" and
// "1-ABC2" are the same dataset however the index spells it.
func CacheStatus(cacheDir, datasetRID string) (CacheInfo, error) {
	info := CacheInfo{Status: CacheNotCached, VersionsCached: []string{}}
	indexPath := filepath.Join(cacheDir, cacheIndexFile)
	if _, err := os.Stat(indexPath); errors.Is(err, os.ErrNotExist) {
		return info, nil
	} else if err != nil {
		return info, fmt.Errorf("bag cache index %s: %w", indexPath, err)
	}
	bags, err := cachedBags(indexPath, normRID(datasetRID))
	if err != nil {
		return info, err
	}
	if len(bags) == 0 {
		return info, nil
	}
	for _, b := range bags {
		info.VersionsCached = append(info.VersionsCached, b.checksum)
	}
	bag, ok := bagDir(filepath.Join(cacheDir, cacheBagsDir, bags[0].checksum), bags[0].rid, datasetRID)
	if !ok {
		return info, nil
	}
	info.CachePath = &bag
	info.Status = CacheHoley
	if materialized(bag) {
		info.Status = CacheMaterialized
	}
	return info, nil
}

// bagDir finds the newest bag's directory, Dataset_{rid}: named as the
// index spells the RID (deriva-ml names both alike), else canonically,
// else as asked.
func bagDir(checksumDir, indexed, asked string) (string, bool) {
	for _, rid := range uniq([]string{indexed, normRID(indexed), asked}) {
		dir := filepath.Join(checksumDir, datasetBagDirNamePrefix+rid)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir, true
		}
	}
	return "", false
}

// cachedBag is an index entry: a bag's checksum and the Dataset RID it is
// anchored on, as the index spells it.
type cachedBag struct{ checksum, rid string }

// cachedBags returns the bags anchored on a Dataset RID (canonical), most
// recently built first. The index holds the RID as deriva-ml was given it,
// so every Dataset anchor is read and compared canonically; a cache holds
// few bags.
func cachedBags(indexPath, rid string) ([]cachedBag, error) {
	db, err := sql.Open("sqlite", readOnlyDSN(indexPath))
	if err != nil {
		return nil, fmt.Errorf("open bag cache index %s: %w", indexPath, err)
	}
	defer db.Close()
	var version sql.NullInt64
	if err := db.QueryRow(`SELECT MAX(version) FROM schema_meta`).Scan(&version); err != nil {
		return nil, fmt.Errorf("bag cache index %s has no readable schema version (%w): is it DerivaML's cache?", indexPath, err)
	}
	if version.Valid && version.Int64 > knownCacheIndexVersion {
		return nil, fmt.Errorf("bag cache index %s has schema version %d, newer than version %d that cyclezero reads: upgrade cyclezero",
			indexPath, version.Int64, knownCacheIndexVersion)
	}
	rows, err := db.Query(`SELECT b.checksum, r.rid FROM bag_anchor_rids r JOIN bags b ON b.checksum = r.checksum ` +
		`WHERE r."table" = 'Dataset' ORDER BY b.built_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("read bag cache index %s: %w", indexPath, err)
	}
	defer rows.Close()
	var out []cachedBag
	for rows.Next() {
		var b cachedBag
		if err := rows.Scan(&b.checksum, &b.rid); err != nil {
			return nil, fmt.Errorf("read bag cache index %s: %w", indexPath, err)
		}
		if normRID(b.rid) == rid {
			out = append(out, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read bag cache index %s: %w", indexPath, err)
	}
	return out, nil
}

// readOnlyDSN opens a SQLite file read-only (mode=ro) through a file: URI,
// so reading never writes to a file deriva-ml may be updating.
func readOnlyDSN(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro"}
	return u.String()
}

// materialized reports whether a bag passes a BagIt structure check
// (bagit.txt, a payload manifest and a data directory) and every file its
// fetch.txt names exists. A name that would leave the bag counts as
// missing, as bagit-python refuses such a bag.
func materialized(bag string) bool {
	if _, err := os.Stat(filepath.Join(bag, "bagit.txt")); err != nil {
		return false
	}
	if st, err := os.Stat(filepath.Join(bag, "data")); err != nil || !st.IsDir() {
		return false
	}
	manifests, _ := filepath.Glob(filepath.Join(bag, "manifest-*.txt"))
	if len(manifests) == 0 {
		return false
	}
	f, err := os.Open(filepath.Join(bag, "fetch.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		name, ok := fetchEntryPath(sc.Text())
		if !ok {
			continue // fewer than three tab-separated fields: DerivaML skips the line
		}
		local := filepath.FromSlash(name)
		if !filepath.IsLocal(local) {
			return false
		}
		if _, err := os.Stat(filepath.Join(bag, local)); err != nil {
			return false
		}
	}
	return sc.Err() == nil
}

// fetchEntryPath reads the file path of a fetch.txt line as DerivaML's
// BagCache._is_fully_materialized does: the stripped line split on tabs,
// the third field taken as written (not percent-decoded), and a line of
// fewer than three fields skipped. (BagIt 1.0 allows any whitespace
// between fields and percent-encodes the path; DerivaML does neither, and
// the status must agree with it.)
func fetchEntryPath(line string) (string, bool) {
	parts := strings.Split(strings.TrimSpace(line), "\t")
	if len(parts) < 3 {
		return "", false
	}
	return parts[2], true
}
