package ui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// silentServer is an Options.Create for a server that accepts the
// connection but never answers: it waits for its context to end, as the
// ERMrest client does, and returns the cancel as cmd's create would. With
// lateSession it returns a session anyway (the cancel came too late).
type silentServer struct {
	started     chan struct{}
	lateSession bool

	mu       sync.Mutex
	calls    []NewSession
	deadline time.Duration // how far away the first call's deadline was
	answered bool          // a later call answers at once
}

func newSilentServer() *silentServer { return &silentServer{started: make(chan struct{})} }

func (s *silentServer) create(ctx context.Context, ns NewSession) (*state.Session, error) {
	s.mu.Lock()
	s.calls = append(s.calls, ns)
	first := len(s.calls) == 1
	if d, ok := ctx.Deadline(); ok && first {
		s.deadline = time.Until(d)
	}
	answered := s.answered
	s.mu.Unlock()
	if answered {
		return &state.Session{Slug: ns.Slug, Catalog: ns.Catalog}, nil
	}
	close(s.started)
	<-ctx.Done()
	if s.lateSession {
		return &state.Session{Slug: ns.Slug, Catalog: ns.Catalog}, nil
	}
	return nil, fmt.Errorf("reach %s catalog %s: %w", ns.Catalog.Host, ns.Catalog.CatalogID, ctx.Err())
}

// submitServer answers the form for a server and presses the last enter,
// returning once Create is running.
func submitServer(d *driver, s *silentServer) {
	d.send(keyRune('j'), keyEnter)
	d.typeText("http://127.0.0.1:18490")
	d.send(keyEnter)
	d.typeText("1")
	d.send(keyEnter)
	d.typeText("repo3")
	d.feed(keyEnter)
	d.settleUntil(s.started)
}

// While Create waits on a silent server the form says what it waits for
// and that esc stops it; esc cancels Create's context, and the form comes
// back with the answers kept and no error, on the host; enter through the
// answers tries again.
func TestFormEscStopsACreateWaitingOnASilentServer(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	submitServer(d, s)
	v := d.view()
	assert.Contains(t, v, "Creating session repo3…")
	assert.Contains(t, v, "Contacting http://127.0.0.1:18490 for catalog 1… (esc to cancel)")
	assert.Regexp(t, `esc cancel\s+•\s+ctrl\+c quit`, v)
	requireFrameFits(t, d.m, 80, 24)
	assert.Greater(t, s.deadline, 90*time.Second,
		"Create gets longer than the ERMrest client's 90s read budget, so the client's own error arrives first")

	d.send(keyEsc)
	require.Equal(t, screenForm, d.m.screen)
	require.Len(t, s.calls, 1)
	v = d.view()
	assert.NotContains(t, v, "Creating session")
	assert.NotContains(t, v, "✗", "stopping is no error")
	assert.Contains(t, v, "> http://127.0.0.1:18490", "the answers are kept")
	assert.Equal(t, keyHost, d.m.form.form.GetFocusedField().GetKey())
	requireFrameFits(t, d.m, 80, 24)

	s.mu.Lock()
	s.answered = true
	s.mu.Unlock()
	d.send(keyEnter, keyEnter, keyEnter)
	require.Equal(t, screenWizard, d.m.screen)
	require.Len(t, s.calls, 2)
	assert.Equal(t, s.calls[0], s.calls[1])
}

// While the cancel is on its way only ctrl+c is offered; a second esc
// does nothing more.
func TestFormSaysStoppingUntilCreateGivesUp(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	submitServer(d, s)
	m := d.m
	// One Update only: the cancelled Create's answer is not fed back yet.
	m, _ = update(t, m, keyEsc)
	v := plainView(m)
	assert.Contains(t, v, "Stopping…")
	assert.NotContains(t, v, "esc cancel")
	assert.Contains(t, v, "ctrl+c quit")
	m, _ = update(t, m, keyEsc)
	assert.Contains(t, plainView(m), "Stopping…")
	d.m = m
	d.settle() // Create's answer: the form comes back
	assert.NotContains(t, d.view(), "Stopping…")
}

// A Create that finished before the cancel reached it made the session:
// it opens, rather than leaving a session nobody was told about.
func TestFormOpensASessionCreatedBeforeTheCancelArrived(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	s.lateSession = true
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	submitServer(d, s)
	d.send(keyEsc)
	require.Equal(t, screenWizard, d.m.screen)
	assert.Contains(t, d.view(), "repo3")
}

// ctrl+c while Create runs quits and cancels Create, so it stops too.
func TestFormCtrlCCancelsACreateInProgress(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	submitServer(d, s)
	d.send(keyCtrlC) // settles only once Create has returned
	assert.True(t, d.quit)
	assert.True(t, d.m.outcome.Interrupted)
}

// The embedded catalog's wait is named too.
func TestFormSaysItPreparesTheEmbeddedCatalog(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	d.send(keyEnter)
	d.typeText("repo3")
	d.feed(keyEnter)
	d.settleUntil(s.started)
	assert.Contains(t, d.view(), "Preparing its embedded catalog… (esc to cancel)")
	d.send(keyEsc)
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	assert.Contains(t, d.view(), "> repo3")
}

// Accessible mode names the server it contacts, and that ctrl+c quits.
func TestAccessibleFormSaysWhatCreateWaitsFor(t *testing.T) {
	t.Parallel()
	var c creator
	_, out := runLines(t, Options{Create: c.create}, "2\nhttp://127.0.0.1:18490\n1\nrepo3\nq\n")
	requireText(t, out, "Creating session repo3: contacting http://127.0.0.1:18490 for catalog 1; ctrl+c quits.")
	_, out = runLines(t, Options{Create: c.create}, "\nrepo4\nq\n")
	requireText(t, out, "Creating session repo4 and preparing its embedded catalog; ctrl+c quits.")
}

// ctrl+c while accessible mode creates a session stops it quietly, as esc
// does in the form: no "Could not create", no second round of questions;
// it ends the line the terminal echoed ^C on, so cmd's "No session
// created." starts a line.
func TestAccessibleCreateInterruptedSaysNoFailure(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	create := func(c context.Context, _ NewSession) (*state.Session, error) {
		cancel() // ctrl+c arrives while the catalog is contacted
		<-c.Done()
		return nil, fmt.Errorf("reach the catalog: %w", c.Err())
	}
	var out bytes.Buffer
	got := RunAccessible(ctx, strings.NewReader("2\nhttp://127.0.0.1:18490\n1\nrepo3\n"), &out,
		Options{Create: create, Now: nowFn, Width: 400})
	assert.True(t, got.Interrupted, "the outcome says ctrl+c")
	assert.Empty(t, got.Slug, "no session was opened")
	assert.NotContains(t, out.String(), "Could not create")
	assert.NotContains(t, out.String(), "Answer again")
	assert.True(t, strings.HasSuffix(out.String(), "for catalog 1; ctrl+c quits.\n\n"), "%q", out.String())
}

// A message that is no key (the terminal's background colour, a cursor
// blink) arriving while Create runs does not submit the form again: Create
// is called once.
func TestFormDoesNotSubmitAgainWhileCreateRuns(t *testing.T) {
	t.Parallel()
	s := newSilentServer()
	d := newDriver(t, New(Options{Now: nowFn, Create: s.create}))
	submitServer(d, s)
	s.mu.Lock()
	s.answered = true // a second call would answer at once rather than hang
	s.mu.Unlock()
	done := make(chan struct{})
	close(done)
	d.feed(tea.BackgroundColorMsg{})
	d.settleUntil(done)
	s.mu.Lock()
	calls := len(s.calls)
	s.mu.Unlock()
	require.Equal(t, 1, calls, "Create runs once per submit")
	d.send(keyEsc)
	assert.Equal(t, screenForm, d.m.screen)
}
