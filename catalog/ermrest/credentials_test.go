package ermrest

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

func credFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), ".deriva", "credential.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func headers(c credential) http.Header {
	h := http.Header{}
	c.apply(h)
	return h
}

func TestCredentialLookup(t *testing.T) {
	t.Parallel()
	path := credFile(t, `{
		"www.example.org": {"cookie": "webauthn=abc|def=ghi"},
		"Mixed.Example.org": {"bearer-token": "exact-token"},
		"mixed.example.org": {"bearer-token": "lower-token"},
		"both.example.org": {"cookie": "webauthn=c", "bearer-token": "b", "auth_type": "user"},
		"login.example.org": {"username": "u", "password": "p"},
		"empty.example.org": {}
	}`)
	for host, want := range map[string]http.Header{
		"www.example.org":   {"Cookie": {"webauthn=abc|def=ghi"}}, // split at the first '=' only
		"WWW.Example.ORG":   {"Cookie": {"webauthn=abc|def=ghi"}}, // lower-case fallback
		"Mixed.Example.org": {"Authorization": {"Bearer exact-token"}},
		"MIXED.EXAMPLE.ORG": {"Authorization": {"Bearer lower-token"}},
		"both.example.org":  {"Authorization": {"Bearer b"}}, // the bearer token wins
		"other.example.org": {},
		"empty.example.org": {},
		"login.example.org": {},
	} {
		c, err := loadCredential(path, host)
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		got := headers(c)
		if len(got) != len(want) || got.Get("Cookie") != want.Get("Cookie") || got.Get("Authorization") != want.Get("Authorization") {
			t.Errorf("%s: headers %v, want %v", host, got, want)
		}
	}
	c, err := loadCredential(path, "login.example.org")
	if err != nil || c.username != "u" || c.password != "p" || c.bearer != "" || c.cookieValue != "" {
		t.Errorf("username/password entry: %+v %v", c, err)
	}
}

func TestCredentialFileProblems(t *testing.T) {
	t.Parallel()
	c, err := loadCredential(filepath.Join(t.TempDir(), "missing.json"), "h")
	if err != nil || c != (credential{}) {
		t.Errorf("a missing file is anonymous: %+v %v", c, err)
	}
	for name, content := range map[string]string{
		"not JSON":     `{"h": {"cookie": "webauthn=SECRET"`,
		"not a map":    `["SECRET"]`,
		"bad entry":    `{"h": "SECRET"}`,
		"cookie no =":  `{"h": {"cookie": "SECRET"}}`,
		"cookie =only": `{"h": {"cookie": "=SECRET"}}`,
	} {
		_, err := loadCredential(credFile(t, content), "h")
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: the error shows the file's content: %v", name, err)
		}
		if !strings.Contains(err.Error(), "log in again with deriva-globus-auth-utils") {
			t.Errorf("%s: the error says no way to fix it: %v", name, err)
		}
	}
	if os.Getuid() != 0 { // root reads anything
		path := credFile(t, `{}`)
		_ = os.Chmod(path, 0)
		if _, err := loadCredential(path, "h"); err == nil || !strings.Contains(err.Error(), "permissions") {
			t.Errorf("an unreadable file: %v", err)
		}
	}
}

func TestNewFindsTheCredentialFile(t *testing.T) {
	t.Parallel()
	home := filepath.Dir(filepath.Dir(credFile(t, `{"catalog.example.org": {"bearer-token": "tok"}}`)))
	c, err := New("https://catalog.example.org/", "1", Options{HomeDir: home})
	if err != nil {
		t.Fatal(err)
	}
	if c.cred.bearer != "tok" || c.credPath != filepath.Join(home, ".deriva", "credential.json") {
		t.Errorf("cred %+v path %s", c.cred, c.credPath)
	}
	if _, err := New("catalog.example.org", "1", Options{CredentialFile: credFile(t, "{")}); err == nil {
		t.Error("a broken credential file is reported")
	}
}

// A token or cookie no HTTP header may carry (a pasted newline, stray
// spaces, a control character) is refused when the file is read, with an
// error that names the file and host and says how to fix it, instead of
// failing later as if the network were down. It is never trimmed silently.
func TestCredentialThatCannotBeSent(t *testing.T) {
	t.Parallel()
	for name, entry := range map[string]string{
		"token newline":       `{"bearer-token": "SECRET\n"}`,
		"token leading space": `{"bearer-token": " SECRET"}`,
		"token trailing tab":  `{"bearer-token": "SECRET\t"}`,
		"token NUL":           `{"bearer-token": "SEC\u0000RET"}`,
		"token DEL":           `{"bearer-token": "SEC\u007fRET"}`,
		"cookie CRLF":         `{"cookie": "webauthn=SECRET\r\n"}`,
		"cookie inner LF":     `{"cookie": "webauthn=SEC\nRET"}`,
		"cookie leading":      `{"cookie": " webauthn=SECRET"}`,
	} {
		path := credFile(t, `{"catalog.example.org": `+entry+`}`)
		_, err := New("catalog.example.org", "1", Options{CredentialFile: path})
		if !errors.Is(err, ErrBadCredential) || !errors.Is(err, catalog.ErrInvalidInput) {
			t.Errorf("%s: %v is not ErrBadCredential", name, err)
			continue
		}
		msg, fix := err.Error(), catalog.Hint(err)
		if strings.Contains(msg+fix, "SEC") {
			t.Errorf("%s: the error shows the secret: %v / %s", name, msg, fix)
		}
		if !strings.Contains(msg, path) || !strings.Contains(msg, "catalog.example.org") {
			t.Errorf("%s: %q does not name the file and host", name, msg)
		}
		if !strings.Contains(fix, "deriva-globus-auth-utils login --host catalog.example.org") || !strings.Contains(fix, "edit "+path) {
			t.Errorf("%s: fix %q", name, fix)
		}
	}
	// Inner spaces and non-ASCII are legal in a header: sent as they are.
	c, err := loadCredential(credFile(t, `{"h": {"bearer-token": "a bé"}}`), "h")
	if err != nil || headers(c).Get("Authorization") != "Bearer a bé" {
		t.Errorf("a sendable token: %+v %v", c, err)
	}
}

func TestNewValidatesHostAndCatalog(t *testing.T) {
	t.Parallel()
	opts := Options{CredentialFile: "/nonexistent"}
	for host, want := range map[string]string{
		"catalog.example.org":               "https://catalog.example.org catalog 1",
		"https://catalog.example.org":       "https://catalog.example.org catalog 1",
		"https://catalog.example.org:8443/": "https://catalog.example.org:8443 catalog 1",
		"http://127.0.0.1:8080":             "http://127.0.0.1:8080 catalog 1",
		"http://localhost:8080":             "http://localhost:8080 catalog 1",
		"http://[::1]:8080":                 "http://[::1]:8080 catalog 1",
		"  catalog.example.org ":            "https://catalog.example.org catalog 1",
	} {
		c, err := New(host, "1", opts)
		if err != nil || c.Describe() != want {
			t.Errorf("New(%q): %v %v", host, c, err)
		}
	}
	for _, host := range []string{"", "http://catalog.example.org", "ftp://x", "https://user:pw@x", "https://x/ermrest",
		"https://x?q=1", "https://", "https://x#f"} {
		if _, err := New(host, "1", opts); err == nil {
			t.Errorf("New(%q) gave no error", host)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("New(%q) shows the password: %v", host, err)
		}
	}
	for _, id := range []string{"", "1/2", "@2PX", "1@not!a!snap", "a b"} {
		if _, err := New("x.org", id, opts); err == nil {
			t.Errorf("catalog id %q gave no error", id)
		}
	}
	c, err := New("x.org", "1@2PX-WS30-E58W", opts)
	if err != nil || c.catalogPath("") != "/ermrest/catalog/1@2PX-WS30-E58W" || c.catalogPath("2PV") != "/ermrest/catalog/1@2PV" {
		t.Errorf("snapshot catalog id: %v %v", c, err)
	}
}

// Only the value that goes out is checked: with a bearer token, which is
// all that is sent, a flawed cookie beside it is ignored (as deriva-py
// ignores it); a flawed token is refused whatever the cookie, and a
// flawed cookie is refused when it is what would be sent. The key order
// in the file changes nothing.
func TestCredentialChecksOnlyWhatIsSent(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		entry string
		bad   string // the key the error names, "" when the credential loads
	}{
		"token, then cookie with newline":   {`{"bearer-token": "tok", "cookie": "webauthn=SECRET\n"}`, ""},
		"cookie with newline, then token":   {`{"cookie": "webauthn=SECRET\n", "bearer-token": "tok"}`, ""},
		"token, then cookie with space":     {`{"bearer-token": "tok", "cookie": " webauthn=SECRET"}`, ""},
		"token, then cookie not name=value": {`{"bearer-token": "tok", "cookie": "SECRET"}`, ""},
		"token with newline, then cookie":   {`{"bearer-token": "SECRET\n", "cookie": "webauthn=ok"}`, "bearer-token"},
		"cookie, then token with newline":   {`{"cookie": "webauthn=ok", "bearer-token": "SECRET\n"}`, "bearer-token"},
		"cookie with newline, no token":     {`{"cookie": "webauthn=SECRET\n", "bearer-token": ""}`, "cookie"},
	} {
		c, err := loadCredential(credFile(t, `{"h": `+tc.entry+`}`), "h")
		if tc.bad == "" {
			if err != nil {
				t.Errorf("%s: refused a cookie that is never sent: %v", name, err)
				continue
			}
			if got := headers(c); len(got) != 1 || got.Get("Authorization") != "Bearer tok" {
				t.Errorf("%s: headers %v, want only the bearer token", name, got)
			}
			continue
		}
		if !errors.Is(err, ErrBadCredential) {
			t.Errorf("%s: %v is not ErrBadCredential", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "the "+tc.bad+" for h ") || strings.Contains(err.Error()+catalog.Hint(err), "SECRET") {
			t.Errorf("%s: %v does not name the %s alone, or shows the secret", name, err, tc.bad)
		}
	}
}
