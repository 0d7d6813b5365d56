package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// holdersEvery is how often the picker asks whether the sessions it marks
// in use still are; holdersTimeout bounds one round of asking.
const (
	holdersEvery   = 2 * time.Second
	holdersTimeout = 2 * time.Second
)

// holdersDueMsg is the picker's slow tick: time to ask Options.Holder.
type holdersDueMsg struct{}

// holdersMsg is Options.Holder's answer for each slug asked about.
type holdersMsg struct{ inUse map[string]string }

// watchHolders starts the slow tick while the picker marks a session in
// use and Options.Holder can say whether it still is.
func (m Model) watchHolders() tea.Cmd {
	if m.picker == nil || m.opts.Holder == nil || len(m.picker.inUseSlugs()) == 0 {
		return nil
	}
	return tea.Tick(holdersEvery, func(time.Time) tea.Msg { return holdersDueMsg{} })
}

// holdersDue asks Options.Holder (in a tea.Cmd: it reads lock files)
// about the sessions marked in use while the picker is on screen; behind
// the form it only waits for the next tick, and once a session is open
// (there is no way back to the picker) it stops.
func (m Model) holdersDue() tea.Cmd {
	switch {
	case m.screen == screenWizard || m.picker == nil:
		return nil
	case m.screen != screenPicker:
		return m.watchHolders()
	}
	slugs, fn := m.picker.inUseSlugs(), m.opts.Holder
	if len(slugs) == 0 || fn == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), holdersTimeout)
		defer cancel()
		inUse := make(map[string]string, len(slugs))
		for _, slug := range slugs {
			inUse[slug] = fn(ctx, slug)
		}
		return holdersMsg{inUse: inUse}
	}
}

// holdersAnswered updates the picker's marks and asks again later about
// those still in use.
func (m Model) holdersAnswered(msg holdersMsg) tea.Cmd {
	if m.picker == nil {
		return nil
	}
	m.picker.setHolders(msg.inUse)
	return m.watchHolders()
}

// inUseSlugs are the sessions the picker marks in use.
func (p *picker) inUseSlugs() []string {
	var out []string
	for _, it := range p.all {
		if it.InUse != "" {
			out = append(out, it.Slug)
		}
	}
	return out
}

// setHolders marks each session in inUse with its holder ("" unmarks it),
// in the full list and in the filtered one alike.
func (p *picker) setHolders(inUse map[string]string) {
	for _, items := range [][]SessionChoice{p.all, p.items} {
		for i := range items {
			if h, ok := inUse[items[i].Slug]; ok {
				items[i].InUse = h
			}
		}
	}
}
