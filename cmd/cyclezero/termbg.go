package main

import (
	"image/color"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/cyclezero/cyclezero/ui"
)

// termbgTimeout bounds the whole background-colour query. A terminal that
// answers does so in a few milliseconds; one that never does (a bare pty,
// as under script(1)) costs this much and no more.
const termbgTimeout = 400 * time.Millisecond

// terminalBackground is the background query for a styled report drawn
// in profile (colorprofile.Detect's, for its writer): none when the
// report's colour will be stripped anyway (NO_COLOR, TERM=dumb, output not
// a terminal); else one bounded ask of the controlling terminal
// (queryControllingTerminal).
func terminalBackground(profile colorprofile.Profile) ui.BackgroundQuery {
	if profile < colorprofile.ANSI {
		return nil
	}
	return func() (color.Color, bool) {
		return queryControllingTerminal(termbgTimeout)
	}
}

// termbgQuery asks for the background colour (OSC 11), then the primary
// device attributes (DA1): every terminal answers DA1, and in order, so
// its answer says no colour is coming and the wait can end.
const termbgQuery = ansi.RequestBackgroundColor + ansi.RequestPrimaryDeviceAttributes

// bgReply reads a terminal's answer to termbgQuery, fed in whatever chunks
// the reads return, with lipgloss's queryBackgroundColor rules: an OSC 11
// "rgb:…" colour, until the DA1 answer; anything else (typeahead, other
// reports) is skipped. Unlike lipgloss it decodes each sequence whole,
// from the normal state, keeping a cut-off one until the rest comes:
// ansi.DecodeSequence resumed mid-sequence across reads keeps a BEL that
// ends a chunk in the OSC data, and the colour would then not parse.
type bgReply struct {
	pa      *ansi.Parser
	pending []byte // read but not yet decoded: a sequence cut off by the read
	bg      color.Color
	done    bool // the DA1 answer came
}

// maxPending bounds what an unterminated sequence (garbage) may hold.
const maxPending = 4 * 1024

func newBGReply() *bgReply {
	pa := ansi.NewParser()
	pa.SetDataSize(maxPending) // as ansi.GetParser: plenty for an OSC 11 answer
	return &bgReply{pa: pa}
}

// feed takes the next bytes read and says whether the answer is complete.
func (r *bgReply) feed(p []byte) bool {
	r.pending = append(r.pending, p...)
	for len(r.pending) > 0 && !r.done {
		seq, _, n, state := ansi.DecodeSequence(r.pending, ansi.NormalState, r.pa)
		if state != ansi.NormalState || n <= 0 {
			break // cut off: wait for the rest
		}
		r.take(string(seq))
		r.pending = r.pending[n:]
	}
	if len(r.pending) > maxPending {
		r.pending = r.pending[:0]
	}
	return r.done
}

// take handles one whole sequence (or character) of the answer.
func (r *bgReply) take(seq string) {
	switch {
	case ansi.HasOscPrefix(seq):
		if r.pa.Command() == 11 {
			// "11;rgb:rrrr/gggg/bbbb"; anything else is not a colour.
			if parts := strings.Split(string(r.pa.Data()), ";"); len(parts) == 2 {
				r.bg = ansi.XParseColor(parts[1])
			}
		}
	case ansi.HasCsiPrefix(seq):
		if r.pa.Command() == ansi.Command('?', 0, 'c') { // DA1
			r.done = true
		}
	}
}

// color is the background colour the terminal gave, if it gave one.
func (r *bgReply) color() (color.Color, bool) {
	return r.bg, r.bg != nil
}
