package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
	"github.com/cyclezero/cyclezero/ui"
)

// statusReport is the read-only view of a session that `status` prints.
type statusReport struct {
	Slug      string                `json:"slug"`
	Repo      string                `json:"repo"`
	Catalog   state.CatalogLocation `json:"catalog"`
	UpdatedAt time.Time             `json:"updated_at"`
	Current   string                `json:"current,omitempty"`
	Phases    []statusPhase         `json:"phases"`
	Summary   string                `json:"summary"`
	Next      string                `json:"next"`
	// CodeState is "git" when code and config changes are judged from the
	// repository, "unknown" outside git (only the design doc and the
	// catalog are judged then).
	CodeState string `json:"code_state"`
	// InUse says who else has the session open ("in use by another
	// cyclezero (pid 4242)"), "" when nobody does: what status shows may
	// change under it. InUseByPID is that process's id, 0 when unknown
	// (a holder that has not written its pid yet).
	InUse      string `json:"in_use,omitempty"`
	InUseByPID int    `json:"in_use_by_pid,omitempty"`
	// Notes say what is unusual: sessions kept outside the git dir, an
	// unknown code state, a session whose worktree is gone, another
	// cyclezero that has the session open.
	Notes []string `json:"notes,omitempty"`
}

type statusPhase struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Title  string `json:"title"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func newStatusCmd(std stdio, g *globalFlags) *cobra.Command {
	var (
		plain, asJSON, watch bool
		interval             time.Duration
	)
	cmd := &cobra.Command{
		Use:   "status [slug]",
		Short: "Show a session's phases, read-only (never writes the session, repo or catalog)",
		Long: `Show where a session stands: each phase's status and why, the overall
progress and the next step. Read-only: it never writes the session, the repo
or the catalog, and it works while the wizard is running.

Without a slug it shows the most recently used session of this repository.
Output is plain text when stdout is not a terminal, with --plain or in
accessible mode; --json prints a document for scripts.

--watch keeps it up to date: in a terminal a live table refreshed every
--interval (r refreshes now, j/k scroll, q quits); in accessible mode the
report once, then a line for each change (type q and enter to stop);
otherwise a fresh plain report (or, with --json, one JSON document per
line) every interval until interrupted.`,
		Args:              maxArgs(1, "the slug"),
		ValidArgsFunction: g.completeSlug,
		RunE: func(cmd *cobra.Command, args []string) error {
			if plain && asJSON {
				return usagef("--plain and --json are exclusive")
			}
			if cmd.Flags().Changed("interval") && !watch {
				return usagef("--interval needs --watch")
			}
			if interval < minWatchInterval {
				return usagef("--interval %s is too short: use %s or more, e.g. --interval 2s", interval, minWatchInterval)
			}
			plain = plain || g.isAccessible()
			if watch {
				return runStatusWatch(cmd.Context(), std, g, firstArg(args), watchMode{
					interval: interval, plain: plain || !std.terminal(), asJSON: asJSON, announce: g.isAccessible(),
				})
			}
			rep, states, err := buildStatus(cmd.Context(), g, firstArg(args), std)
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return printJSON(std.out, rep)
			case plain && g.isAccessible():
				// Wrapped as the rest of accessible mode is, in a terminal.
				return writePlainStatusWrapped(std.out, rep, terminalWidth(std.out), programWord())
			case plain || !std.stdoutTerminal():
				return writePlainStatus(std.out, rep)
			default:
				return writeStyledStatus(std.out, rep, states, g.command(statusArgs(rep.Slug, firstArg(args) != "")...))
			}
		},
	}
	cmd.Flags().BoolVar(&plain, "plain", false, "plain text, no colour or box drawing (automatic when not a terminal)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "a JSON document, for scripts (one per line with --watch)")
	cmd.Flags().BoolVar(&watch, "watch", false, "keep refreshing until you quit (q) or interrupt it (ctrl+c)")
	cmd.Flags().DurationVar(&interval, "interval", 2*time.Second, "time between refreshes with --watch (at least 200ms)")
	return cmd
}

// statusArgs is `status --plain`, naming the slug when the user did.
func statusArgs(slug string, named bool) []string {
	if named {
		return []string{"status", "--plain", state.ShellQuote(slug)}
	}
	return []string{"status", "--plain"}
}

func firstArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}

// buildStatus evaluates the session (the newest one without a slug;
// warnings about sessions it skips go to stderr).
func buildStatus(ctx context.Context, g *globalFlags, slug string, std stdio) (statusReport, []steps.PhaseState, error) {
	ws, err := locate(ctx, g)
	if err != nil {
		return statusReport{}, nil, err
	}
	ws.headless = !std.interactive(g)
	slug, err = ws.pickSlug(slug, std.err)
	if err != nil {
		return statusReport{}, nil, err
	}
	return ws.status(ctx, slug)
}

// status reads slug's session without locking or writing it and evaluates
// its phases against the repository as it is now.
func (ws workspace) status(ctx context.Context, slug string) (statusReport, []steps.PhaseState, error) {
	s, err := ws.load(slug)
	if err != nil {
		return statusReport{}, nil, err
	}
	states, j, err := ws.evaluate(ctx, s)
	if err != nil {
		return statusReport{}, nil, err
	}
	rep := statusReport{
		Slug: s.Slug, Repo: j.Root, Catalog: s.Catalog, UpdatedAt: s.UpdatedAt, Current: s.Current,
		Summary: steps.Summary(states), Next: steps.NextAction(states), CodeState: "git",
	}
	if j.CodeUnknown {
		rep.CodeState = "unknown"
	}
	// Fallback first: it says why the sessions are in an XDG dir, which
	// the note's move command then names as the target.
	for _, note := range []string{ws.Fallback, ws.Note} {
		if note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	rep.Notes = append(rep.Notes, j.Notes...)
	if holder, held := state.SessionHolder(ws.StateDir, s.Slug); held {
		rep.InUse, rep.InUseByPID = holder.String(), holder.PID
		rep.Notes = append(rep.Notes, holder.String()+" — what you see may change")
	}
	for _, st := range states {
		rep.Phases = append(rep.Phases, statusPhase{
			ID: string(st.Phase.ID), Number: st.Phase.Number, Title: st.Phase.Title,
			Status: st.Status.String(), Reason: st.Reason,
		})
	}
	return rep, states, nil
}

// statusView is the report as the ui renders it; full is the command that
// prints it with every detail in full.
func statusView(rep statusReport, states []steps.PhaseState, full string) ui.StatusView {
	return ui.StatusView{
		Slug: rep.Slug, Repo: rep.Repo, RepoLabel: workspaceLabel(rep), Catalog: describeCatalogStyled(rep.Catalog), Saved: savedTime(rep.UpdatedAt),
		States: states, Current: steps.PhaseID(rep.Current), Summary: rep.Summary, Next: rep.Next, Notes: rep.Notes, FullDetails: full,
	}
}

// currentPhase names the phase the session is on, as every form of the
// report says it ("phase 6, Tier 2 — small-data run"); "" when it has
// none, or one its phases do not know.
func (rep statusReport) currentPhase() string {
	if p, ok := steps.PhaseByID(steps.PhaseID(rep.Current)); ok {
		return p.Label()
	}
	return ""
}

// savedTime is when a session was saved, as every status report says it.
func savedTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// writePlainStatus prints the report as aligned plain text: no colour, no
// glyph-only state, safe to pipe and to read with a screen reader.
func writePlainStatus(w io.Writer, rep statusReport) error {
	return writePlainStatusWrapped(w, rep, 0, "")
}

// writePlainStatusWrapped is writePlainStatus with its prose (the labelled
// lines, summary, next step and notes) wrapped to width as accessible mode
// wraps it: at spaces, each command whole on a line of its own (program is
// the word cyclezero's start with). 0 wraps nothing. The phase table is
// not wrapped: its rows are aligned columns.
func writePlainStatusWrapped(w io.Writer, rep statusReport, width int, program string) error {
	var b strings.Builder
	line := func(text string) {
		b.WriteString(strings.Join(wrapPlain(text, width, program), "\n") + "\n")
	}
	line("cyclezero session " + rep.Slug)
	labels := [][2]string{{workspaceLabel(rep), rep.Repo}, {"catalog", describeCatalog(rep.Catalog)}}
	if saved := savedTime(rep.UpdatedAt); saved != "" {
		labels = append(labels, [2]string{"saved", saved})
	}
	if cur := rep.currentPhase(); cur != "" {
		labels = append(labels, [2]string{"current", cur})
	}
	labelW := 0
	for _, l := range labels {
		labelW = max(labelW, len(l[0])+2)
	}
	for _, l := range labels {
		// Aligned while it fits: wrapping would squeeze the spaces.
		if text := fmt.Sprintf("%-*s%s", labelW, l[0]+":", l[1]); width <= 0 || len(text) <= width {
			b.WriteString(text + "\n")
		} else {
			line(text)
		}
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tPHASE\tSTATUS\tDETAIL")
	for _, p := range rep.Phases {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", p.Number, p.Title, p.Status, p.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	line(rep.Summary)
	line(rep.Next)
	for _, n := range rep.Notes {
		line("note: " + n)
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// writeStyledStatus prints the report for a terminal: the same content as
// the plain form, with the phase table drawn and coloured (NO_COLOR
// honoured), fitted to the terminal so no phase scrolls out of sight (the
// details cut to one line when they would; full names the command that
// prints them all).
func writeStyledStatus(w io.Writer, rep statusReport, states []steps.PhaseState, full string) error {
	// The profile picks the palette (16 colours are chosen by hand) and
	// whether to ask the background; its writer then downsamples to it,
	// or strips colour. Detected once: in tmux that runs `tmux info`.
	profile := colorprofile.Detect(w, os.Environ())
	st := ui.NewStylesFor(ui.DarkBackground(terminalBackground(profile), os.Getenv), profile)
	width, height := 0, 0
	if f, ok := w.(*os.File); ok {
		if cols, rows, err := term.GetSize(f.Fd()); err == nil {
			width, height = statusFrameSize(cols, rows)
		}
	}
	_, err := fmt.Fprint(&colorprofile.Writer{Forward: w, Profile: profile},
		ui.StatusFrame(st, statusView(rep, states, full), width, height))
	return err
}

// statusFrameSize is the frame's size on a terminal of cols×rows: at most
// 120 columns, and a row less than the terminal (the prompt takes the
// last). A terminal that reports 0 for a side (a pty nobody sized, as
// under script(1)) gets 80 columns rather than the table's natural width,
// hundreds of cells, and no height limit rather than one line a phase.
func statusFrameSize(cols, rows int) (width, height int) {
	width = 80
	if cols > 0 {
		width = min(cols, 120)
	}
	if rows > 0 {
		height = max(rows-1, 1)
	}
	return width, height
}

// workspaceLabel names where the session's work is: "repo" in git, and
// outside git "directory", as every message there calls it.
func workspaceLabel(rep statusReport) string {
	if rep.CodeState == "unknown" {
		return "directory"
	}
	return "repo"
}

// wrapPlain lays text out as accessible mode does (ui.PlainLines) at
// width, or leaves it one line per paragraph when width is 0.
func wrapPlain(text string, width int, program string) []string {
	if width <= 0 {
		return strings.Split(text, "\n")
	}
	return ui.PlainLines(text, width, program)
}

// terminalWidth is the width accessible text wraps at on w: the
// terminal's, up to maxLineWidth; 0 when w is not a terminal.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
			return min(cols, maxLineWidth)
		}
	}
	return 0
}

// programWord is the first word of the commands cyclezero spells ("cz"),
// which ui.PlainLines keeps whole after a colon.
func programWord() string {
	if f := strings.Fields(program()); len(f) > 0 {
		return f[0]
	}
	return ""
}

// trimLines drops the trailing spaces tabwriter leaves on short last cells.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
