package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// maxConfigSize caps what validate-config reads. An execution
// configuration names a few datasets and assets, a few KiB; 1 MiB still
// holds some 60,000 asset RIDs. A bigger file is a wrong one: checking it
// costs about 60 bytes of memory per byte of JSON (8 MiB: 2 s and 450 MB;
// 50 MiB: 15 s and 3 GB) and prints a line per bad RID, since DerivaML
// reports each asset spec on its own, duplicates included.
const maxConfigSize = 1 << 20

// readConfig reads and parses the configuration at path ("-": stdin). A
// file that cannot be read, is too big or is not a configuration is a
// usage error.
func readConfig(std stdio, path string) (derivaml.Config, error) {
	var r io.Reader = std.in
	name := theConfiguration(path)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return derivaml.Config{}, usageError{fmt.Errorf("read the configuration: %w", err)}
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxConfigSize {
			return derivaml.Config{}, usagef("%s is %s; an execution configuration is at most %s (it names a few "+
				"datasets and assets): check that it is the configuration file", path, mib(fi.Size()), mib(maxConfigSize))
		}
		r, name = f, path
	}
	// A pipe's size is known only once read: read one byte past the cap.
	data, err := io.ReadAll(io.LimitReader(r, maxConfigSize+1))
	if err != nil {
		return derivaml.Config{}, usageError{fmt.Errorf("read %s: %w", name, err)}
	}
	if len(data) > maxConfigSize {
		return derivaml.Config{}, usagef("%s is more than %s, the most an execution configuration can be (it names "+
			"a few datasets and assets): check that it is the configuration", name, mib(maxConfigSize))
	}
	cfg, err := derivaml.ParseConfig(bytes.NewReader(data))
	if err != nil {
		return derivaml.Config{}, usageError{fmt.Errorf("%s: %w", configSource(path), err)}
	}
	return cfg, nil
}

// configSource names where the configuration at path ("-" for stdin) was
// read from, for messages: "-" alone would read as a stray dash.
func configSource(path string) string {
	if path == "-" {
		return "standard input"
	}
	return path
}

// theConfiguration names the configuration at path in a sentence: "the
// configuration in FILE", or "the configuration on standard input" for "-".
func theConfiguration(path string) string {
	if path == "-" {
		return "the configuration on standard input"
	}
	return "the configuration in " + path
}

// mib spells a size in MiB, for messages, rounded up so that a size just
// over the cap does not read as the cap.
func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%.1f MiB", math.Ceil(float64(n)/(1<<20)*10)/10)
}
