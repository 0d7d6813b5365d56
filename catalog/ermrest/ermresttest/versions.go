package ermresttest

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// The resource versions ETags carry, as the captured server sets them
// (ERMrest's current_catalog_snaptime and the model's version; reference
// ermrest-observed/request_log_all_exchanges.txt):
//
//   - data resources (entity, attribute, attributegroup, aggregate, and the
//     writes to them): the time of the catalog's latest change of any kind,
//     whatever table the path names and even at @snap. So a write to one
//     table changes the ETag of every data resource: after an insert into
//     deriva-ml:Dataset, GET Image carried the Dataset insert's time; GET
//     ERMrest_Client carried the time of an insert into ERMrest_RID_Lease;
//     GET Stain at @snap carried the live time of a later delete from Image.
//     An If-Match on table A therefore fails after a write to table B, on
//     the real server as here.
//   - model resources and entity_rid: the time of the model's latest change;
//     data writes leave them alone (rid-live and col-get-markdown kept the
//     last model change's time across later inserts).
//   - the catalog document: the snaptime itself, or "{snap}-{snap}" (the
//     clamped snaptime and the history's amendment version, which without
//     amendments is the same) at @snap.
//
// Times are printed as Python prints a timestamptz ("2026-11-25
// 16:50:02.565703+00:00").

// live returns the engine's current snapshot and records it: the fake
// clamps @snap requests to the snapshots it has seen (see clamp).
func (s *Server) live(ctx context.Context) (string, error) {
	snap, err := s.engine.Snapshot(ctx)
	if err != nil {
		return "", err
	}
	if v, err := catalog.DecodeRID(snap); err == nil {
		s.mu.Lock()
		if s.phantom.snap != 0 && s.phantom.base == v {
			v = s.phantom.snap
			snap = catalog.EncodeRID(v)
		}
		i := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i] >= v })
		if i == len(s.snaps) || s.snaps[i] != v {
			s.snaps = append(s.snaps, 0)
			copy(s.snaps[i+1:], s.snaps[i:])
			s.snaps[i] = v
		}
		s.mu.Unlock()
	}
	return snap, nil
}

// phantomSnap is a snapshot the fake made up. The real server records a
// new snapshot for a data write that changes nothing, so the data version
// and ETag move even when a PUT updates no rows (captures
// attrgroup-put-nomatch and attrgroup-put-rid-rmt-stale); a catalog.Store
// has no call that records an empty snapshot. The made-up one stands in
// for the engine's snapshot base until the engine moves past it.
type phantomSnap struct{ base, snap int64 }

// bump records a snapshot for a write the engine recorded nothing for. It
// is the current time (so a frozen engine clock's next snapshot, base plus
// a microsecond, differs from it) and after the latest snapshot.
func (s *Server) bump(ctx context.Context) error {
	snap, err := s.engine.Snapshot(ctx)
	if err != nil {
		return err
	}
	v, err := catalog.DecodeRID(snap)
	if err != nil {
		return fmt.Errorf("decode the engine's snapshot %q: %w", snap, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := v
	if s.phantom.snap != 0 && s.phantom.base == v {
		cur = s.phantom.snap
	}
	s.phantom = phantomSnap{base: v, snap: max(time.Now().UnixMicro(), cur+1)}
	return nil
}

// snapshotClamper is an engine that clamps snaptimes itself (local.Store).
type snapshotClamper interface {
	SnapshotAt(ctx context.Context, at string) (string, error)
}

// clamp turns a requested snaptime into the latest real snapshot at or
// before it, as ERMrest does (reference ermrest.md §5.1): a time in the
// future is the live snapshot. An engine that can clamps it itself. For
// others (catalog.Store does not list snapshots) the fake knows those it
// saw: the live one when it started, after each write it served, and at
// each live read; a time older than all of those (but within the catalog's
// history) clamps to the model's version at that time, the closest the
// Store reveals.
func (s *Server) clamp(ctx context.Context, at string) (string, error) {
	want, err := catalog.DecodeRID(at)
	if err != nil {
		return "", err
	}
	if c, ok := s.engine.(snapshotClamper); ok {
		snap, err := c.SnapshotAt(ctx, at)
		if v, derr := catalog.DecodeRID(snap); err == nil && derr == nil {
			s.mu.Lock()
			if p := s.phantom; p.snap != 0 && p.base == v && want >= p.snap {
				snap = catalog.EncodeRID(p.snap)
			}
			s.mu.Unlock()
		}
		return snap, err
	}
	if _, err := s.live(ctx); err != nil {
		return "", err
	}
	s.mu.Lock()
	i := sort.Search(len(s.snaps), func(i int) bool { return s.snaps[i] > want }) - 1
	var known int64 = -1
	if i >= 0 {
		known = s.snaps[i]
	}
	s.mu.Unlock()
	if known >= 0 {
		return catalog.EncodeRID(known), nil
	}
	m, err := s.engine.Model(ctx, at)
	if err != nil {
		return "", err
	}
	if m.Snaptime != "" {
		return m.Snaptime, nil
	}
	return at, nil
}

// catalogVersion is the catalog document's snaptime (clamped at @snap) and
// the version its ETag carries.
func (s *Server) catalogVersion(c *call) (snap, version string, err error) {
	if c.rt.snap == "" {
		snap, err = s.live(ctx(c.r))
		return snap, snap, err
	}
	if _, err = s.engine.Model(ctx(c.r), c.rt.snap); err != nil { // before all history: 409
		return "", "", err
	}
	if snap, err = s.clamp(ctx(c.r), c.rt.snap); err != nil {
		return "", "", err
	}
	return snap, snap + "-" + snap, nil
}

// dataVersion is the version of every data resource: the catalog's latest
// change, live, whatever snapshot the request addressed.
func (s *Server) dataVersion(c *call) (string, error) {
	snap, err := s.live(ctx(c.r))
	if err != nil {
		return "", err
	}
	return snapTime(snap), nil
}

// modelVersion is the version of model resources and entity_rid: the
// model's latest change as of the addressed snapshot.
func (s *Server) modelVersion(c *call) (string, error) {
	m, err := s.engine.Model(ctx(c.r), c.rt.snap)
	if err != nil {
		return "", err
	}
	if m.Snaptime == "" {
		return s.dataVersion(c)
	}
	return snapTime(m.Snaptime), nil
}

// snapTime prints a snaptime as the time it names, as Python would.
func snapTime(snap string) string {
	t, err := catalog.SnaptimeTime(snap)
	if err != nil {
		return snap
	}
	return pyTime(t)
}

// tag is the ETag of the addressed resource: data resources put the raw
// Accept header in the middle (reference ermrest.md §0.11), others "*".
func (s *Server) tag(c *call, data bool) string {
	version := s.modelVersion
	middle := "*"
	if data {
		version, middle = s.dataVersion, c.r.Header.Get("Accept")
	}
	v, err := version(c)
	if err != nil {
		v = "None"
	}
	return etag(roles(c.who, c.known), middle, v)
}
