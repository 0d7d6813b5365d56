package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

// longServer is the audit's catalog: a long host and a long alias.
var longServer = state.CatalogLocation{Kind: state.CatalogERMrest,
	Host: "https://deriva-production.some-long-institute-name.example.org", CatalogID: "my-very-long-catalog-alias-name-2026"}

// fitCatalog shortens the host in its middle and keeps "· catalog ID",
// shortening a very long id too, and keeps the id alone when no useful
// part of the host fits.
func TestFitCatalogKeepsTheCatalogID(t *testing.T) {
	t.Parallel()
	short := state.CatalogLocation{Kind: state.CatalogERMrest, Host: longServer.Host, CatalogID: "1"}
	for _, tc := range []struct {
		loc  state.CatalogLocation
		w    int
		want string
	}{
		{short, 200, "https://deriva-production.some-long-institute-name.example.org · catalog 1"},
		{short, 40, "https://deriva…e.example.org · catalog 1"},
		{longServer, 64, "https://de…le.org · catalog my-very-long-catalog-alias-name-2026"},
		{longServer, 40, "der…mple.org · catalog my-ve…s-name-2026"},
		{short, 20, "catalog 1"},
		{longServer, 20, "catalog my-…ame-2026"},
		{state.CatalogLocation{Kind: state.CatalogLocal}, 8, "local c…"},
	} {
		got := fitCatalog(tc.loc, tc.w)
		assert.Equal(t, tc.want, got, "%d", tc.w)
		assert.LessOrEqual(t, displayWidth(got), tc.w)
	}
}

// At 80×24 the wizard's header keeps the catalog id of a long host and
// alias, the host shortened in its middle (it read "cyclezero · x ·
// https://deriva-production.some-long-institute-name.example.org…",
// the id cut off); down to 42 columns some of the id stays.
func TestHeaderKeepsTheCatalogIDOfALongHost(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Slug, s.Catalog = "x", longServer
	m := wizardModel(t, Options{Session: s, Workspace: "/home/me/src/some-repository"})
	head := strings.Split(plainView(m), "\n")[0]
	assert.Equal(t, "cyclezero · x · https://de…e.org · catalog my-very-long-catalog-alias-name-2026", head)
	requireFrameFits(t, m, 80, 24)

	s.Slug = "cifar10-2layer-cnn"
	m = wizardModel(t, Options{Session: s})
	assert.Equal(t, "cyclezero · cifar10-2layer-cnn · der…mple.org · catalog my-very…alias-name-2026",
		strings.Split(plainView(m), "\n")[0])
	// From 42 columns the slug leaves the catalog minCatalogCells: its id's
	// end shows; from 50 "catalog" and the id's start do too.
	for w := 42; w <= 120; w++ {
		m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
		head := strings.Split(plainView(m), "\n")[0]
		assert.True(t, strings.HasSuffix(head, "2026"), "%d: %q", w, head)
		if w >= 50 {
			assert.Contains(t, head, "catalog my", "%d: %q", w, head)
		}
		assert.LessOrEqual(t, displayWidth(head), w)
	}
}

// The picker's rows and the form's chosen catalog keep the catalog id of
// a long host too.
func TestPickerAndFormKeepTheCatalogIDOfALongHost(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn, Catalog: &longServer,
		Sessions: []SessionChoice{{Slug: "model-a", Current: "specify", Catalog: longServer}}}))
	v := d.view()
	assert.Contains(t, v, "phase 1 · Specify · der…mple.org · catalog my-very-lo…alog-alias-name-2026")
	assert.Contains(t, v, "on https://deriv…xample.org · catalog my-very-long-catalog-alias-name-2026")
	requireFrameFits(t, d.m, 80, 24)
	d.send(keyRune('n'))
	assert.Contains(t, d.view(), "Catalog: https://der…mple.org · catalog my-very-long-catalog-alias-name-2026")
	requireFrameFits(t, d.m, 80, 24)
}

// A short host stays whole, scheme and all, while the id can spare its
// cells, and the id is cut only when the line is really full.
func TestFitCatalogKeepsAShortHostWhole(t *testing.T) {
	t.Parallel()
	c := state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://a.org", CatalogID: "averyveryverylongaliasnamehere"}
	for w := 32; w <= 60; w++ {
		got := fitCatalog(c, w)
		assert.LessOrEqual(t, displayWidth(got), w, "w=%d: %q", w, got)
		assert.True(t, strings.HasPrefix(got, "https://a.org · catalog "), "w=%d: %q", w, got)
		if strings.Contains(got, "…") {
			assert.Equal(t, w, displayWidth(got), "w=%d: the id is cut only when no cell is left: %q", w, got)
		}
	}
}

// A picker line with little room leaves the server catalog out rather
// than shortening it twice: at 50 columns it read "… · ca…l…".
func TestPickerDetailLeavesOutACatalogWithNoRoom(t *testing.T) {
	t.Parallel()
	st, km := NewStyles(true), DefaultKeyMap()
	p := newPicker(&st, &km, nowFn, nil, "")
	it := SessionChoice{Slug: "m", Current: "specify", UpdatedAt: nowFn(),
		Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "http://127.0.0.1:18086", CatalogID: "1"}}
	for w := 30; w <= 90; w++ {
		got := ansi.Strip(p.detail(it, w))
		assert.LessOrEqual(t, displayWidth(got), w, "w=%d: %q", w, got)
		assert.LessOrEqual(t, strings.Count(got, "…"), 1, "w=%d: %q", w, got)
		if _, cat, ok := strings.Cut(got, "just now · "); ok {
			assert.GreaterOrEqual(t, displayWidth(cat), minCatalogCells, "w=%d: %q", w, got)
		}
	}
	assert.Equal(t, "phase 1 · Specify · updated just now · http://127.0.0.1:18086 · catalog 1",
		ansi.Strip(p.detail(it, 90)))
}
