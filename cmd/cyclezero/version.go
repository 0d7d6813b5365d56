package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// versionString is what `version` and `--version` print, e.g.
// "cyclezero v1.2.0 (abc1234, 2026-11-25, dirty) go1.26.8 linux/amd64".
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	return formatVersion(version, info, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}

// noRevision is what a dev build without a VCS stamp says in its place.
const noRevision = "no source revision recorded: built with go run or -buildvcs=false"

// formatVersion builds the version line from the -X version, the module
// version and the VCS stamp the go command records (absent from go run
// builds and from builds with -buildvcs=false, which a dev build says).
func formatVersion(v string, info *debug.BuildInfo, goVersion, platform string) string {
	var rev, when string
	dirty := false
	if info != nil {
		if mv := info.Main.Version; v == "dev" && mv != "" && mv != "(devel)" {
			v = mv
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	var stamp []string
	if rev != "" {
		stamp = append(stamp, rev[:min(len(rev), 7)])
	}
	if when != "" {
		stamp = append(stamp, when[:min(len(when), len("2006-01-02"))])
	}
	if dirty {
		stamp = append(stamp, "dirty")
	}
	out := "cyclezero " + v
	switch {
	case len(stamp) > 0:
		out += " (" + strings.Join(stamp, ", ") + ")"
	case v == "dev": // a released version names its source; a dev build without a stamp cannot
		out += " (" + noRevision + ")"
	}
	return out + " " + goVersion + " " + platform
}

func newVersionCmd(std stdio) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the source revision it was built from (when recorded), and the Go version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(std.out, versionString())
			return err
		},
	}
}
