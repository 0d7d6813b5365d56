package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

func newCatalogCmd(std stdio, g *globalFlags) *cobra.Command {
	o := &catalogOpts{}
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Headless catalog look-ups: the same operations the wizard uses",
		Long: `Headless views of the catalog operations the wizard uses, for scripts,
debugging and tests.

Which catalog:
  --host HOST --catalog ID   a Deriva server (credentials from ~/.deriva/credential.json);
                             ID@SNAPSHOT reads the catalog as of that snapshot
  --db FILE                  an embedded catalog file
  --session SLUG             the catalog of that session
  --local                    an embedded catalog: the newest session's, or when no
                             session has one, this repository's own (kept next to
                             the sessions; seed it with: catalog seed-demo --local)
  no flags                   the newest session's catalog, else the repository's own`,
		Args: unknownCommand,
	}
	o.register(cmd)
	if err := cmd.RegisterFlagCompletionFunc("session", g.completeSessionFlag); err != nil {
		panic(err) // only if the flag were missing or registered twice: a bug here
	}
	cmd.AddCommand(
		newCatalogLsCmd(std, g, o),
		newCatalogShowCmd(std, g, o),
		newCatalogValidateCmd(std, g, o),
		newCatalogWhoamiCmd(std, g, o),
		newCatalogSeedDemoCmd(std, g, o),
		newCatalogServeCmd(std, g, o),
	)
	o.nameImplicitIn(g, cmd)
	return cmd
}

// openModel opens the catalog and reads its live model.
func (o *catalogOpts) openModel(ctx context.Context, g *globalFlags, warn io.Writer) (catalog.Store, *catalog.Model, error) {
	store, err := o.open(ctx, g, warn)
	if err != nil {
		return nil, nil, err
	}
	model, err := store.Model(ctx, "")
	if err != nil {
		store.Close()
		return nil, nil, fmt.Errorf("read the model of %s: %w", store.Describe(), err)
	}
	return store, model, nil
}

// openML opens the catalog for a command that needs DerivaML's model. A
// catalog without the deriva-ml schema is said to be no DerivaML catalog,
// in the same words whichever backend reached it, rather than with the
// protocol error of the first look-up that missed the schema. The domain
// schema is left unset (derivaml.Open would insist on exactly one): the
// read-only commands never write to it.
func (o *catalogOpts) openML(ctx context.Context, g *globalFlags, warn io.Writer) (catalog.Store, *derivaml.ML, error) {
	store, model, err := o.openModel(ctx, g, warn)
	if err != nil {
		return nil, nil, err
	}
	if model.Schemas[derivaml.MLSchema] == nil {
		store.Close()
		return nil, nil, fmt.Errorf("%s has no %s schema: it is not a DerivaML catalog; check which catalog you named, "+
			"or see what it holds with: %s", store.Describe(), derivaml.MLSchema, o.command(g, "catalog", "ls"))
	}
	return store, derivaml.New(store, ""), nil
}

// printJSON writes v as indented JSON, for --json.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newCatalogValidateCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "validate-config FILE",
		Short: "Check an execution configuration's RIDs and versions against the catalog (metadata only)",
		Long: `Check an execution configuration the way DerivaML's
validate_execution_configuration does — metadata only, no downloads: every
dataset RID resolves to a Dataset with the requested version, every asset RID
to an asset table, the workflow RID to a Workflow. FILE ("-" for stdin) is JSON:

  {"datasets":[{"rid":"1-ABC4","version":"0.2.0"}],"assets":["1-XYZ2"],"workflow":"1-WF02"}

The demo catalog's RIDs, and a configuration made of them, are printed by
catalog seed-demo (on a catalog already seeded it writes nothing).
FILE may be at most 1 MiB (a configuration is a few KiB). Exits 0 only when
everything is valid.`,
		Args: exactArgs(1, "the configuration file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			cfg, err := readConfig(std, args[0])
			if err != nil {
				return err
			}
			store, ml, err := o.openML(ctx, g, std.err)
			if err != nil {
				return err
			}
			defer store.Close()
			rep, err := ml.ValidateExecutionConfiguration(ctx, cfg)
			if err != nil {
				return fmt.Errorf("validate %s against %s: %w", theConfiguration(args[0]), store.Describe(), err)
			}
			if o.asJSON {
				err = printJSON(std.out, rep)
			} else {
				_, err = fmt.Fprint(std.out, rep.Text())
			}
			if err != nil {
				return err
			}
			if !rep.AllValid {
				return checkFailedError{fmt.Sprintf("%s is not valid for %s", theConfiguration(args[0]), store.Describe())}
			}
			return nil
		},
	}
}

func newCatalogWhoamiCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Say who the catalog sees you as (exit 4 when not logged in)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, loc, err := o.openAt(ctx, g, std.err)
			if err != nil {
				return err
			}
			defer store.Close()
			id, err := store.Whoami(ctx)
			// A saved credential the server does not accept (webauthn's
			// 404 for a token or cookie it has no session for, a 401 to a
			// request that carried it, or a refused password login)
			// leaves you as anonymous as having none: the same answer,
			// noting the refusal, so scripts read one document either
			// way. A 401 to a request that carried no credential (none is
			// saved, or a redirect to another host left it behind) refused
			// nothing: the server only requires a login.
			unauthenticated := errors.Is(err, catalog.ErrUnauthenticated)
			refused := errors.Is(err, ermrest.ErrLoginRefused)
			if unauthenticated {
				id = catalog.Identity{Anonymous: true}
			} else if err != nil {
				return fmt.Errorf("ask %s who you are: %w", store.Describe(), err)
			}
			if o.asJSON {
				if err := printJSON(std.out, newWhoamiJSON(id, refused)); err != nil {
					return err
				}
			} else if !id.Anonymous {
				fmt.Fprintf(std.out, "%s\nid:   %s\n", store.Describe(), id.ID)
				if id.DisplayName != "" {
					fmt.Fprintf(std.out, "name: %s\n", id.DisplayName)
				}
				if len(id.Groups) > 0 {
					fmt.Fprintf(std.out, "groups: %s\n", strings.Join(id.Groups, ", "))
				}
			}
			if id.Anonymous {
				e := &catalog.Error{Kind: catalog.ErrUnauthenticated, Op: store.Describe(), Fix: loginHint(loc.Host)}
				var ce *catalog.Error
				errors.As(err, &ce)
				switch {
				case refused:
					e.Detail = refusedDetail(err)
					// The client's fix names the file and host: fix the
					// password, or log in again.
					if ce != nil && ce.Fix != "" {
						e.Fix = ce.Fix + serveNote(loc.Host, true)
					}
				case unauthenticated:
					e.Detail = "the server requires a login"
					if ce != nil && ce.Detail != "" {
						e.Detail += ": " + ce.Detail
					}
					// The client's fix names the credential file, or the
					// host a redirect led to, where --host should point.
					if ce != nil && ce.Fix != "" {
						e.Fix = ce.Fix + serveNote(loc.Host, false)
					}
				}
				return e
			}
			return nil
		},
	}
}

func newCatalogSeedDemoCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "seed-demo",
		Short: "Create the demo imaging domain (subjects, images, diagnoses) in an embedded catalog",
		Long: `Create the deterministic demo domain that cyclezero demo uses — about 120
subjects and 1,000 images with an imbalanced Diagnosis label feature, a few
unlabelled images and a rare class — in an embedded catalog (created when
missing): the file given by --db, the catalog of --session, or as with
--local the newest session's embedded catalog, else this repository's own.
Without --session or --db, a newest session that is a real model's, not the
demo's, is refused rather than filled with the fake domain: name it with
--session SLUG to seed it anyway, or give a separate file with --db FILE.
Only embedded catalogs are seeded: a demo does not belong on a shared server.
It prints the RIDs it made (the dataset of every image and its version, the
workflow, the execution) and a configuration for validate-config made of
them; on a catalog already seeded it writes nothing and prints them again.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := o.seedTarget(ctx, g, std.err)
			if err != nil {
				return err
			}
			// SeedLocalDemo takes the catalog's setup lock: a second
			// seed-demo on the same file waits and finds this one's demo.
			res, err := steps.SeedLocalDemo(ctx, c.loc.Path, steps.SeedOptions{Waiting: func(notice string) {
				fmt.Fprintln(std.err, "cyclezero: "+notice)
			}})
			if errors.Is(err, demo.ErrIncomplete) {
				q := state.ShellQuote(c.loc.Path)
				return fmt.Errorf("%w, with: mv %s %s && %s", err, q, state.ShellQuote(c.loc.Path+".incomplete"),
					g.command("catalog", "seed-demo", "--db", q))
			}
			if err != nil {
				return o.fileError(g, c, err)
			}
			sum := res.Summary
			if o.asJSON {
				return printJSON(std.out, newSeedJSON(res.Catalog, c.loc.Path, sum, res.Already))
			}
			what := "Seeded " + res.Catalog
			if res.Already {
				what = "Already seeded " + res.Catalog + " (nothing written)"
			}
			fmt.Fprintf(std.out, "%s: schema %s, %d subjects, %d images (%d labelled, %d unlabelled)\n",
				what, sum.Schema, sum.Subjects, sum.Images, sum.Labelled, sum.Unlabelled)
			for _, c := range demo.Classes {
				fmt.Fprintf(std.out, "  %-12s %d\n", c.Name, sum.ClassCounts[c.Name])
			}
			// The command names this catalog, so following it checks the
			// RIDs where they are even when another session is newest.
			check := g.command("catalog", "validate-config", "FILE", "--db", state.ShellQuote(c.loc.Path))
			if c.source == fromSession {
				check = g.command("catalog", "validate-config", "FILE", "--session", state.ShellQuote(c.slug))
			}
			return printSeedRIDs(std.out, sum, check)
		},
	}
}

// printSeedRIDs says the RIDs the demo seed made, as --json gives them,
// each ending its line so it copies cleanly, and an execution
// configuration for validate-config built from them: the RIDs a new user
// needs to write one are otherwise nowhere to be seen. On a catalog
// already seeded it is the same (nothing is written), so this is also how
// to look them up again.
func printSeedRIDs(w io.Writer, sum demo.Summary, check string) error {
	cfg, err := json.Marshal(struct {
		Datasets []derivaml.DatasetSpec `json:"datasets"`
		Assets   []string               `json:"assets"`
		Workflow string                 `json:"workflow"`
	}{[]derivaml.DatasetSpec{{RID: sum.Dataset, Version: sum.DatasetVersion}}, []string{}, sum.Workflow})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "Dataset RID:      %s (every image)\nDataset version:  %s\n"+
		"Workflow RID:     %s (the seeding workflow)\nExecution RID:    %s (the seeding execution)\n"+
		"A configuration made of them (save it as FILE):\n  %s\nCheck it with:\n  %s\n",
		sum.Dataset, sum.DatasetVersion, sum.Workflow, sum.Execution, cfg, check)
	return err
}

// refusedDetail says the server refused the saved credential, with the
// server's own words when it gave any. Only a token or cookie expires or
// is revoked; a refused username and password are said as such.
func refusedDetail(err error) string {
	d := "the server refused your saved credential (expired or revoked?)"
	if passwordRefusal(err) != nil {
		d = "the server refused your saved username and password"
	}
	var ce *catalog.Error
	if errors.As(err, &ce) && ce.Detail != "" {
		d += ": " + ce.Detail
	}
	return d
}

// passwordRefusal is err's catalog error when it is the refusal of the
// username/password login deriva-py performs for a credential entry with
// neither token nor cookie (POST /authn/session, the only request whoami
// sends that is not a GET), else nil.
func passwordRefusal(err error) *catalog.Error {
	var ce *catalog.Error
	if errors.As(err, &ce) && errors.Is(err, catalog.ErrUnauthenticated) && ce.Op == http.MethodPost+" /authn/session" {
		return ce
	}
	return nil
}

// loginHint says how to log in to a Deriva server (base URL).
func loginHint(baseURL string) string {
	host := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	return "log in with: deriva-globus-auth-utils login --host " + host +
		" (cyclezero reads the credentials it saves in ~/.deriva/credential.json)" + serveNote(baseURL, false)
}

// serveNote adds to a login fix for baseURL what holds if it is
// cyclezero's own `catalog serve`: plain http:// is accepted only for a
// server on this machine, which often is that one, and it has no login at
// all, so logging in (again) cannot help; a saved login for it is simply
// not needed.
func serveNote(baseURL string, saved bool) string {
	if !strings.HasPrefix(baseURL, "http://") {
		return ""
	}
	note := "; if this is `" + commandLine("", "catalog", "serve") + "`, it has no login: it serves everyone anonymously, read-only"
	if saved {
		note += ", so the saved login is not needed (remove its entry)"
	}
	return note
}
