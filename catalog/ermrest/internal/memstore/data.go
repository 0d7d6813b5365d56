package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Insert adds rows, assigning system columns and the requested defaults.
func (s *Store) Insert(_ context.Context, ref catalog.TableRef, rows []catalog.Row, opts catalog.InsertOptions) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write(func(v *version) error {
		t, err := tableOf(v, ref)
		if err != nil {
			return err
		}
		now := catalog.FormatTimestamp(v.at)
		for _, in := range rows {
			for k := range in {
				if t.Column(k) == nil {
					return catalog.Errorf(catalog.ErrConflict, "", "", "Requested column %s does not exist in table %s.", k, t.Name)
				}
			}
			s.seq++
			rid := catalog.EncodeRID(s.seq)
			row := catalog.Row{}
			for _, c := range t.Columns {
				val, given := in[c.Name]
				switch {
				case catalog.IsSystemColumn(c.Name):
					continue
				case slices.Contains(opts.Defaults, c.Name):
					val = columnDefault(c, rid)
				case !given && c.Type.IsArray:
					val = []any{}
				}
				nv, err := value(c.Type, val)
				if err != nil {
					return badValue(c.Name, err)
				}
				row[c.Name] = ridTemplate(c, nv, rid)
			}
			row[catalog.ColRID], row[catalog.ColRCT], row[catalog.ColRMT] = rid, now, now
			row[catalog.ColRCB], row[catalog.ColRMB] = s.who(), s.who()
			if err := checkRow(v, t, row, -1); err != nil {
				if opts.OnConflictSkip && isKeyConflict(err) {
					continue
				}
				return err
			}
			v.rows[ref] = append(v.rows[ref], row)
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

func (s *Store) who() any {
	if s.identity.ID == "" {
		return nil
	}
	return s.identity.ID
}

// columnDefault evaluates a column default, replacing {RID} as ERMrest's
// maintain_row trigger does for curie and URI columns.
func columnDefault(c catalog.Column, rid string) any {
	var v any
	if len(c.Default) == 0 || json.Unmarshal(c.Default, &v) != nil {
		return nil
	}
	return v
}

// ridTemplate replaces {RID} in curie and URI values, given or defaulted.
func ridTemplate(c catalog.Column, v any, rid string) any {
	if str, ok := v.(string); ok && (c.Type.Name == "ermrest_curie" || c.Type.Name == "ermrest_uri") {
		return strings.ReplaceAll(str, "{RID}", rid)
	}
	return v
}

// Query reads matching rows, sorted, after a page key, limited and projected.
func (s *Store) Query(_ context.Context, q catalog.Query) ([]catalog.Row, error) {
	if q.Limit <= 0 {
		return nil, catalog.Errorf(catalog.ErrInvalidInput, "", "", "limit must be positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.at(q.At)
	if err != nil {
		return nil, err
	}
	t, err := tableOf(v, q.Table)
	if err != nil {
		return nil, err
	}
	rows, err := matching(t, v.rows[q.Table], q.Where)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rows, func(i, j int) bool { return compareRows(rows[i], rows[j], q.Sort) < 0 })
	out := []catalog.Row{}
	for _, r := range rows {
		if len(q.After) > 0 && compareAfter(t, r, q.Sort, q.After) <= 0 {
			continue
		}
		if len(out) == q.Limit {
			break
		}
		if q.Select == nil {
			out = append(out, r)
			continue
		}
		p := catalog.Row{}
		for _, c := range q.Select {
			p[c] = r[c]
		}
		out = append(out, p)
	}
	return out, nil
}

// Count groups matching rows by g.GroupBy, in ascending group order.
func (s *Store) Count(_ context.Context, g catalog.GroupQuery) ([]catalog.GroupCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.at(g.At)
	if err != nil {
		return nil, err
	}
	t, err := tableOf(v, g.Table)
	if err != nil {
		return nil, err
	}
	rows, err := matching(t, v.rows[g.Table], g.Where)
	if err != nil {
		return nil, err
	}
	if len(g.GroupBy) == 0 {
		return []catalog.GroupCount{{Values: catalog.Row{}, Count: int64(len(rows))}}, nil
	}
	byKey := map[string]*catalog.GroupCount{}
	var out []*catalog.GroupCount
	for _, r := range rows {
		vals := catalog.Row{}
		for _, c := range g.GroupBy {
			vals[c] = r[c]
		}
		k := fmt.Sprint(groupValues(vals, g.GroupBy))
		if gc := byKey[k]; gc != nil {
			gc.Count++
			continue
		}
		gc := &catalog.GroupCount{Values: vals, Count: 1}
		byKey[k] = gc
		out = append(out, gc)
	}
	keys := make([]catalog.SortKey, len(g.GroupBy))
	for i, c := range g.GroupBy {
		keys[i] = catalog.SortKey{Column: c}
	}
	sort.SliceStable(out, func(i, j int) bool { return compareRows(out[i].Values, out[j].Values, keys) < 0 })
	res := make([]catalog.GroupCount, len(out))
	for i, gc := range out {
		res[i] = *gc
	}
	return res, nil
}

func groupValues(r catalog.Row, cols []string) []any {
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = r[c]
	}
	return out
}

// Update overwrites u.Set of the rows matching each input row on u.Match.
func (s *Store) Update(_ context.Context, ref catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	var out []catalog.Row
	skipped := 0
	err := s.write(func(v *version) error {
		t, err := tableOf(v, ref)
		if err != nil {
			return err
		}
		for _, in := range rows {
			var where catalog.And
			for _, c := range u.Match {
				where = append(where, catalog.Eq{Column: c, Value: in[c]})
			}
			hit := false
			for i, r := range v.rows[ref] {
				ok, err := eval(t, r, where)
				if err != nil {
					return err
				}
				if ok != yes {
					continue
				}
				hit = true
				next := make(catalog.Row, len(r))
				for k, val := range r {
					next[k] = val
				}
				for _, c := range u.Set {
					col := t.Column(c)
					if col == nil {
						return catalog.Errorf(catalog.ErrConflict, "", "", "Requested column %s does not exist in table %s.", c, t.Name)
					}
					nv, err := value(col.Type, in[c])
					if err != nil {
						return badValue(c, err)
					}
					next[c] = nv
				}
				next[catalog.ColRMT], next[catalog.ColRMB] = catalog.FormatTimestamp(v.at), s.who()
				if err := checkRow(v, t, next, i); err != nil {
					return err
				}
				cascade(v, t, r, next)
				v.rows[ref][i] = next
				out = append(out, next)
			}
			if !hit {
				skipped++
			}
		}
		return nil
	})
	if err == nil && skipped > 0 && slices.Contains(u.Match, catalog.ColRMT) {
		return out, catalog.Errorf(catalog.ErrPrecondition, "", "", "%d rows changed since they were read", skipped)
	}
	return out, err
}

// Delete removes the matching rows, remembering them for ResolveRID.
func (s *Store) Delete(_ context.Context, ref catalog.TableRef, where catalog.Filter) error {
	return s.write(func(v *version) error {
		t, err := tableOf(v, ref)
		if err != nil {
			return err
		}
		prev := s.history[len(s.history)-1].snap
		var keep []catalog.Row
		for _, r := range v.rows[ref] {
			ok, err := eval(t, r, where)
			if err != nil {
				return err
			}
			if ok == yes {
				if referenced(v, t, r) {
					return catalog.Errorf(catalog.ErrConflict, "", "", "Input data violates model. ERROR:  update or delete on table %q violates foreign key constraint", t.Name)
				}
				v.deleted[r.RID()] = deletion{table: ref, at: v.at, lastVisible: prev}
				continue
			}
			keep = append(keep, r)
		}
		v.rows[ref] = keep
		return nil
	})
}

func matching(t *catalog.Table, rows []catalog.Row, where catalog.Filter) ([]catalog.Row, error) {
	var out []catalog.Row
	for _, r := range rows {
		ok, err := eval(t, r, where)
		if err != nil {
			return nil, err
		}
		if ok == yes {
			out = append(out, r)
		}
	}
	return out, nil
}

// compile caches nothing: tests are small.
func compile(pattern string, ci bool) (*regexp.Regexp, error) {
	if ci {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, catalog.Errorf(catalog.ErrBadRequest, "", "", "invalid regular expression %q: %v", pattern, err)
	}
	return re, nil
}
