package ermrest

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

func TestNormalizeHost(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"deriva.example.org":            "https://deriva.example.org",
		"  Deriva.Example.org ":         "https://deriva.example.org",
		"https://deriva.example.org":    "https://deriva.example.org",
		"https://deriva.example.org/":   "https://deriva.example.org",
		"deriva.example.org:8443":       "https://deriva.example.org:8443",
		"http://127.0.0.1:8080":         "http://127.0.0.1:8080",
		"http://localhost:8080":         "http://localhost:8080",
		"http://[::1]:9000":             "http://[::1]:9000",
		"https://10.0.0.5":              "https://10.0.0.5",
		"dev-1.facebase.org":            "https://dev-1.facebase.org",
		"https://www.eye-ai.org:443/":   "https://www.eye-ai.org:443",
		"localhost:8443":                "https://localhost:8443",
		"http://localhost":              "http://localhost",
		"HTTPS://Deriva.Example.Org":    "https://deriva.example.org",
		"https://deriva.example.org.":   "https://deriva.example.org.",
		"https://xn--bcher-kva.example": "https://xn--bcher-kva.example",
	}
	for in, want := range ok {
		got, err := NormalizeHost(in)
		if err != nil {
			t.Errorf("NormalizeHost(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
	bad := map[string]string{
		"":                                     "empty",
		"   ":                                  "empty",
		"deriva example.org":                   "spaces",
		"http://deriva.example.org":            "plain http://",
		"http://10.0.0.5:8080":                 "plain http://",
		"https://deriva.example.org/ermrest":   "has a path",
		"deriva.example.org/ermrest/catalog/1": "has a path",
		"https://deriva.example.org?x=1":       "has a query or fragment",
		"http://127.0.0.1:8080#frag":           "has a query or fragment",
		"https://deriva.example.org/?":         "has a query or fragment",
		"https://user:pw@deriva.example.org":   "credentials",
		"ftp://deriva.example.org":             "only https://",
		"https://":                             "missing",
		"https://-bad.example.org":             "not a valid server name",
		"https://bad_host.example.org":         "not allowed",
		"deriva.example.org:0":                 "port",
		"deriva.example.org:99999":             "port",
		"deriva.example.org:":                  "port",
		"https://deriva..example.org":          "not a valid server name",
	}
	for in, want := range bad {
		_, err := NormalizeHost(in)
		if err == nil {
			t.Errorf("NormalizeHost(%q) accepted it", in)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeHost(%q): %q should mention %q", in, err, want)
		}
	}
}

// NormalizeHostKeepCase keeps the host name as typed (the credential
// file's key) and is otherwise NormalizeHost: the same checks, the scheme
// lower-cased, no trailing slash.
func TestNormalizeHostKeepCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Deriva.Example.org ":         "https://Deriva.Example.org",
		"HTTPS://Deriva.Example.Org/":   "https://Deriva.Example.Org",
		"http://LOCALHOST:18091":        "http://LOCALHOST:18091",
		"deriva.example.org:8443":       "https://deriva.example.org:8443",
		"http://[::1]:9000":             "http://[::1]:9000",
		"https://WWW.eye-ai.org:443/":   "https://WWW.eye-ai.org:443",
		"https://deriva.example.org.":   "https://deriva.example.org.",
		"https://xn--BCHER-kva.example": "https://xn--BCHER-kva.example",
	} {
		got, err := NormalizeHostKeepCase(in)
		if err != nil || got != want {
			t.Errorf("NormalizeHostKeepCase(%q) = %q, %v; want %q", in, got, err, want)
		}
		lower, _ := NormalizeHost(in)
		if again, _ := NormalizeHost(got); again != lower {
			t.Errorf("NormalizeHost(NormalizeHostKeepCase(%q)) = %q, want NormalizeHost's %q", in, again, lower)
		}
	}
	for _, in := range []string{"", "http://Deriva.Example.org", "https://A.org/ermrest", "https://u:p@A.org"} {
		if got, err := NormalizeHostKeepCase(in); err == nil {
			t.Errorf("NormalizeHostKeepCase(%q) = %q, want NormalizeHost's refusal", in, got)
		}
	}
}

func TestValidateCatalogID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"1", "42", "my-catalog", "eye_ai", " 7 "} {
		if err := ValidateCatalogID(id); err != nil {
			t.Errorf("ValidateCatalogID(%q): %v", id, err)
		}
	}
	for id, want := range map[string]string{
		"": "empty", "  ": "empty", "1/2": "not allowed", "a b": "not allowed", "x.y": "not allowed",
		strings.Repeat("9", 200): "too long",
	} {
		err := ValidateCatalogID(id)
		if err == nil {
			t.Errorf("ValidateCatalogID(%q) accepted it", id)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateCatalogID(%q): %q should mention %q", id, err, want)
		}
		var ce *catalog.Error
		if !errors.As(err, &ce) || !errors.Is(err, catalog.ErrInvalidInput) || ce.Fix == "" {
			t.Errorf("ValidateCatalogID(%q): %#v is not a catalog ErrInvalidInput with a fix", id, err)
		}
	}
}

// New refuses a malformed catalog id or snapshot before sending anything,
// with a typed error saying what to type instead.
func TestNewRejectsBadCatalogID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{
		"1@NOT!SNAP": `catalog id "1@NOT!SNAP": invalid input: "NOT!SNAP" is not a snapshot id`,
		"a b@2PX":    `catalog id "a b": invalid input: ' ' is not allowed`,
		"":           "invalid input: catalog id is empty",
	} {
		_, err := New("catalog.example.org", id, Options{CredentialFile: "/nonexistent/credential.json"})
		var ce *catalog.Error
		if !errors.As(err, &ce) || !errors.Is(err, catalog.ErrInvalidInput) {
			t.Errorf("New(%q): %#v is not a catalog ErrInvalidInput", id, err)
			continue
		}
		if !strings.Contains(err.Error(), want) || ce.Fix == "" {
			t.Errorf("New(%q): %q (fix %q) should say %q and how to fix it", id, err, ce.Fix, want)
		}
	}
}

// FuzzNormalizeHost: whatever is typed, an accepted host is a bare https
// origin (or http to loopback), and normalising it again changes nothing.
func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"deriva.example.org", "http://127.0.0.1:8080", "https://a/b", "x y", "http://[::1]:1", "%zz", "https://h:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizeHost(in)
		if err != nil {
			return
		}
		u, perr := url.Parse(got)
		if perr != nil {
			t.Fatalf("%q → %q does not parse: %v", in, got, perr)
		}
		if u.Path != "" || u.RawQuery != "" || u.User != nil || strings.ContainsAny(got, " \t\n") {
			t.Fatalf("%q → %q is not a bare origin", in, got)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			t.Fatalf("%q → %q is plain http to a non-loopback host", in, got)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("%q → %q has scheme %q", in, got, u.Scheme)
		}
		again, err := NormalizeHost(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", in, got, again, err)
		}
		keep, err := NormalizeHostKeepCase(in)
		if err != nil || !strings.EqualFold(keep, got) {
			t.Fatalf("NormalizeHostKeepCase(%q) = %q, %v; want %q up to case", in, keep, err, got)
		}
	})
}
