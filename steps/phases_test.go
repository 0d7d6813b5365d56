package steps

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every phase says in words what its gate is: none is a bare dash, which
// the pane and accessible mode showed as "Gate to move on: —".
func TestEveryPhaseSaysItsGateInWords(t *testing.T) {
	t.Parallel()
	for _, p := range Phases {
		g := strings.TrimSpace(p.Gate)
		assert.NotContainsf(t, []string{"", "—", "-"}, g, "phase %d's gate", p.Number)
	}
}

// The last phase has nothing to move on to: its gate says so, when it is
// done, and the tiers a change leads back to, as ReentryTier routes them.
func TestTheLastPhasesGateSaysWhereItLeads(t *testing.T) {
	t.Parallel()
	last := Phases[len(Phases)-1]
	assert.Equal(t, Iterate, last.ID)
	assert.True(t, strings.HasPrefix(last.Gate, "none, this is the last phase"), last.Gate)
	assert.Contains(t, last.Gate, "verdict is recorded", "done when its GateID holds: %s", last.GateID)
	assert.Equal(t, 1, ReentryTier(ChangeConfig))
	assert.Contains(t, last.Gate, "a config change to tier 1")
	assert.Equal(t, 2, ReentryTier(ChangeCode))
	assert.Equal(t, 2, ReentryTier(ChangeDataset))
	assert.Contains(t, last.Gate, "the code or the dev dataset to tier 2")
}

func TestWritesForFillsInTheSlug(t *testing.T) {
	t.Parallel()
	p, ok := PhaseByID(Specify)
	assert.True(t, ok)
	assert.Equal(t, "docs/design/model/lesion-seg.md in the DerivaML design-doc format, and its entry in docs/design/index.md",
		p.WritesFor("lesion-seg"))
	assert.Equal(t, p.Writes, p.WritesFor(""), "no session: the placeholder stays")
}

// No phase text writes a range with a dash ("50–200"): a screen reader
// says it as "50 dash 200" or "50 minus 200", so ranges are in words.
func TestPhaseTextsSayRangesInWords(t *testing.T) {
	t.Parallel()
	rangeWithDash := regexp.MustCompile(`\d\s*[-–—]\s*\d`)
	for _, p := range Phases {
		for _, text := range []string{p.Title, p.Short, p.Purpose, p.Writes, p.Catches, p.Gate, p.Action, p.Need, p.NotDone} {
			assert.Falsef(t, rangeWithDash.MatchString(text), "phase %d: %q", p.Number, text)
		}
	}
	dev, _ := PhaseByID(DevDataset)
	assert.Contains(t, dev.Purpose, "(50 to 200 records)")
	assert.Contains(t, dev.Purpose, "a quota of at least 5 to 10")
}
