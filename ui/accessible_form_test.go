package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
)

// creator is an Options.Create that records its calls and fails with the
// queued errors first.
type creator struct {
	mu        sync.Mutex
	calls     []NewSession
	fail      []error
	unbounded int // calls whose context had no deadline within createTimeout
}

func (c *creator) create(ctx context.Context, ns NewSession) (*state.Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, ns)
	if !bounded(ctx, createTimeout) {
		c.unbounded++
	}
	if len(c.fail) > 0 {
		err := c.fail[0]
		c.fail = c.fail[1:]
		return nil, err
	}
	return &state.Session{Slug: ns.Slug, Catalog: ns.Catalog, Current: "specify"}, nil
}

// TestAccessibleFormCreatesASession types into the form's line prompts
// (which read from any io.Reader): the default catalog, a refused slug,
// then a good one; the session view follows.
func TestAccessibleFormCreatesASession(t *testing.T) {
	t.Parallel()
	var c creator
	got, out := runLines(t, Options{Create: c.create}, "\nBad_Slug\nmy-model\nq\n")
	requireText(t, out,
		"New session. Answer each question, then press enter",
		"Where is the catalog? (enter for 1):\n1. Embedded local catalog (offline)\n2. A Deriva server\n",
		"Kebab-case; it names docs/design/model/<slug>.md and the session.\nModel slug, or q to quit:",
		`Not accepted: slug "Bad_Slug"`,
		"Created session my-model. Catalog: local catalog.",
		"Session my-model, local catalog.",
		"Phase 1 of 8, Specify: not started.",
	)
	if len(c.calls) != 1 || c.calls[0] != (NewSession{Slug: "my-model", Catalog: state.CatalogLocation{Kind: state.CatalogLocal}}) {
		t.Fatalf("Create got %+v", c.calls)
	}
	if c.unbounded != 0 {
		t.Errorf("Create was called without a deadline")
	}
	if got.Slug != "my-model" || !got.Quit {
		t.Fatalf("outcome %+v", got)
	}
}

// TestAccessibleFormServerRetriesWithTheAnswersKept chooses a server,
// has a bad host refused, then Create fails (no such catalog): every
// question is asked again with the earlier answers as the defaults.
func TestAccessibleFormServerRetriesWithTheAnswersKept(t *testing.T) {
	t.Parallel()
	c := creator{fail: []error{fmt.Errorf("reach deriva.example.org catalog 7: %w", catalog.ErrNotFound)}}
	input := "2\nnot a host!\nderiva.example.org\n7\nmy-model\n" + // the first try
		"\n\n1\n\n" + // enter keeps server, host and slug; the catalog id is now 1
		"q\n"
	_, out := runLines(t, Options{Create: c.create}, input)
	requireText(t, out,
		"Not accepted: host has spaces",
		"Could not create the session: reach deriva.example.org catalog 7",
		"Answer again; press enter to keep an earlier answer.",
		"Where is the catalog? (enter for 2)",
		"Deriva host (enter for deriva.example.org), or q to quit:",
		"Catalog id (enter for 7), or q to quit:",
		"Model slug (enter for my-model), or q to quit:",
	)
	if len(c.calls) != 2 {
		t.Fatalf("Create calls: %+v", c.calls)
	}
	want := NewSession{Slug: "my-model", Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "1"}}
	if c.calls[1] != want {
		t.Fatalf("second Create got %+v, want %+v", c.calls[1], want)
	}
}

func TestAccessibleFormSuggestsTheSlugAndRefusesTakenOnes(t *testing.T) {
	t.Parallel()
	var c creator
	spell := func(args ...string) string { return "go run ./cmd/cyclezero --accessible " + strings.Join(args, " ") }
	_, out := runLines(t, Options{Create: c.create, StartNew: true, SuggestedSlug: "taken", Command: spell,
		Sessions: []SessionChoice{{Slug: "taken"}}}, "\n\ntaken\nfresh\nq\n")
	requireText(t, out, "Model slug, or q to quit:",
		"a session taken already exists: choose another slug, or quit and run: go run ./cmd/cyclezero --accessible resume taken")
	if strings.Contains(out, "Choose a session") {
		t.Error("StartNew goes straight to the form")
	}
	if len(c.calls) != 1 || c.calls[0].Slug != "fresh" {
		t.Fatalf("Create got %+v", c.calls)
	}

	c = creator{}
	_, out = runLines(t, Options{Create: c.create, SuggestedSlug: "my-repo"}, "\n\nq\n")
	requireText(t, out, "Model slug (enter for my-repo), or q to quit:")
	if len(c.calls) != 1 || c.calls[0].Slug != "my-repo" {
		t.Fatalf("enter keeps the suggested slug: %+v", c.calls)
	}
}

// A slug whose session cannot be opened is refused with its fix, not
// with a resume that would fail on it.
func TestAccessibleFormRefusesADamagedSessionsSlugWithItsFix(t *testing.T) {
	t.Parallel()
	var c creator
	_, out := runLines(t, Options{Create: c.create, StartNew: true,
		Sessions: []SessionChoice{{Slug: "third", Problem: "session file third.json is damaged: mv it aside"}}}, "\nthird\nq\n")
	requireText(t, out, "a session third already exists but cannot be opened: choose another slug, "+
		"or quit and fix it: session file third.json is damaged: mv it aside")
	if strings.Contains(out, "resume third") || len(c.calls) != 0 {
		t.Fatalf("calls %+v\n%s", c.calls, out)
	}
}

func TestAccessibleFormStopsWhenTheInputEnds(t *testing.T) {
	t.Parallel()
	// The input ending at the slug, at the catalog question, and there
	// after a refused answer (which made huh's select panic); q there quits.
	for _, input := range []string{"\n", "", "x\n", "3\n", "q\n"} {
		var c creator
		got, out := runLines(t, Options{Create: c.create}, input)
		if len(c.calls) != 0 || got.Slug != "" || !got.Quit || got.Interrupted {
			t.Fatalf("input %q: no session without answers: calls %+v, outcome %+v\n%s", input, c.calls, got, out)
		}
	}
}

// q at the slug question leaves, as at the catalog question before it
// (whose prompt said "or q to quit"), even with a suggested slug or a
// session already named q: no session is created.
func TestAccessibleFormSlugQuestionQuits(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{}, {SuggestedSlug: "my-repo"}, {StartNew: true, Sessions: []SessionChoice{{Slug: "q"}}}} {
		for _, input := range []string{"\nq\n", "\n Quit \n", "\nexit\n"} {
			var c creator
			o.Create = c.create
			got, out := runLines(t, o, input)
			if len(c.calls) != 0 || got.Slug != "" || !got.Quit {
				t.Fatalf("options %+v, input %q: calls %+v, outcome %+v\n%s", o, input, c.calls, got, out)
			}
			requireText(t, out, ", or q to quit:")
		}
	}
}

// q leaves at the server's host and catalog id too: no host or catalog
// named q, and nothing created.
func TestAccessibleFormServerQuestionsQuit(t *testing.T) {
	t.Parallel()
	for _, input := range []string{"2\nq\n", "2\nderiva.example.org\nq\n"} {
		var c creator
		got, out := runLines(t, Options{Create: c.create}, input)
		if len(c.calls) != 0 || !got.Quit {
			t.Fatalf("input %q: calls %+v, outcome %+v\n%s", input, c.calls, got, out)
		}
		requireText(t, out, "Deriva host, or q to quit:")
	}
}

// TestAccessiblePickerIsANumberedList opens a session by its number; a
// failure to open says why and asks again.
func TestAccessiblePickerIsANumberedList(t *testing.T) {
	t.Parallel()
	var opened []string
	sessions := []SessionChoice{
		{Slug: "broken", UpdatedAt: fixedNow, Problem: "the file /s/broken.json is damaged; move it aside", Broken: "damaged"},
		{Slug: "gone", Current: "specify"},
		{Slug: "model-b", Current: "schema", UpdatedAt: fixedNow.Add(-3 * 60 * 60 * 1e9),
			Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://h.org", CatalogID: "3"},
			InUse:   "in use by another cyclezero (pid 7)"},
	}
	open := func(ctx context.Context, slug string) (*state.Session, bool, string, error) {
		opened = append(opened, slug)
		if !bounded(ctx, openTimeout) {
			return nil, false, "", errors.New("opened without a deadline")
		}
		if slug == "gone" {
			return nil, false, "", errors.New("no session gone in this repository")
		}
		return &state.Session{Slug: slug, Current: "schema"}, true, "in use by another cyclezero (pid 7)", nil
	}
	// 1 twice (damaged), a word, enter (the default: gone, which fails), then 3.
	got, out := runLines(t, Options{Sessions: sessions, Open: open}, "1\n1\nfirst\n\n3\nq\n")
	requireText(t, out,
		"Sessions in this repository: 3. Open one to resume it, or start a new one; q quits.\n",
		"Choose a session (enter for 2):\n",
		"Type a number from 1 to 4, or q to quit: ",
		`Not accepted: "first" is not a number from 1 to 4. Try again, or type q to quit.`,
		"1. broken; damaged, cannot be opened as it is\n",
		"3. model-b; on phase 2, Schema design; updated 3 hours ago; https://h.org catalog 3; in use by another cyclezero (pid 7), opens read-only\n",
		"4. Start a new session\n",
		"broken cannot be opened as it is: the file /s/broken.json is damaged; move it aside\nChoose another.\n",
		"broken cannot be opened as it is; its fix is above. Choose another.",
		"Could not open gone: no session gone in this repository",
		"Read-only: this session is in use by another cyclezero (pid 7)",
		"Phase 2 of 8, Schema design: not started.",
	)
	if strings.Count(out, "/s/broken.json") != 1 || strings.Count(out, "Sessions in this repository") != 1 {
		t.Errorf("the damaged file's path and the intro are said once, not on every round:\n%s", out)
	}
	if strings.Join(opened, ",") != "gone,model-b" || got.Slug != "model-b" {
		t.Fatalf("opened %v (a damaged session is never tried), outcome %+v", opened, got)
	}
}

// q at the picker quits, as it does in a session's menu, and so does the
// end of the input: no session is opened either way.
func TestAccessiblePickerQuits(t *testing.T) {
	t.Parallel()
	sessions := []SessionChoice{{Slug: "model-a"}, {Slug: "model-b"}}
	for _, input := range []string{"q\n", " Quit \n", "9\nq\n", ""} {
		var opened int
		open := func(context.Context, string) (*state.Session, bool, string, error) {
			opened++
			return &state.Session{Slug: "model-a"}, false, "", nil
		}
		got, out := runLines(t, Options{Sessions: sessions, Open: open}, input)
		if opened != 0 || got != (Outcome{Quit: true}) {
			t.Errorf("input %q: opened %d sessions, outcome %+v, want none and Quit\n%s", input, opened, got, out)
		}
		if strings.Contains(out, "Invalid") {
			t.Errorf("input %q: huh's refusal of a non-number leaked through:\n%s", input, out)
		}
	}
}
