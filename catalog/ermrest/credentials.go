package ermrest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// ErrBadCredential is the kind of a saved login that cannot be sent: the
// bearer token or cookie it would send holds a control character (often a pasted "\n") or
// starts or ends with whitespace, which no HTTP header may carry. It is
// refused when the file is read rather than trimmed silently, since a
// trimmed secret may no longer be the one the server issued. It is also a
// catalog.ErrInvalidInput.
var ErrBadCredential error = kindError{"the saved login cannot be sent", catalog.ErrInvalidInput}

// credential is one host's entry of deriva's credential file.
type credential struct {
	bearer      string // "bearer-token": Authorization: Bearer …
	cookieName  string // "cookie": "webauthn=<value>", split at the first '='
	cookieValue string
	username    string // "username"/"password": a webauthn database login
	password    string
}

// secrets lists the values that must never appear in an error or a log.
func (c credential) secrets() []string {
	return []string{c.bearer, c.cookieValue, c.password}
}

// apply sets the request headers deriva-py's set_credentials would send. A
// bearer token wins over a cookie (deriva-py deriva_binding.py checks
// 'bearer-token' first). The cookie goes in a header of its own because
// webauthn sets it Secure, which a cookie jar would not resend over http.
func (c credential) apply(h http.Header) {
	switch {
	case c.bearer != "":
		h.Set("Authorization", "Bearer "+c.bearer)
	case c.cookieValue != "":
		h.Set("Cookie", c.cookieName+"="+c.cookieValue)
	}
}

// defaultCredentialPath is deriva-py's DEFAULT_CREDENTIAL_FILE under home.
func defaultCredentialPath(home string) (string, error) {
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the home directory for ~/.deriva/credential.json: %w", err)
		}
		home = h
	}
	return filepath.Join(home, ".deriva", "credential.json"), nil
}

// loadCredential reads host's entry from deriva's credential file exactly as
// deriva-py's get_credential does: the host name as given, then lower-cased.
// A missing file, or no entry for the host, means anonymous. Errors never
// include the file's content.
func loadCredential(path, host string) (credential, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return credential{}, nil
	}
	if err != nil {
		return credential{}, fmt.Errorf("read the credential file %s: %w (fix its permissions, e.g. chmod 600)", path, err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return credential{}, fmt.Errorf("the credential file %s is not a JSON object of host names "+
			"(log in again with deriva-globus-auth-utils, or remove the file)", path)
	}
	raw, ok := all[host]
	if !ok {
		raw, ok = all[strings.ToLower(host)]
	}
	if !ok {
		return credential{}, nil
	}
	var entry map[string]any
	if err := json.Unmarshal(raw, &entry); err != nil {
		return credential{}, fmt.Errorf("the credential file %s: the entry for %s is not a JSON object "+
			"(log in again with deriva-globus-auth-utils login --host %s, or remove that entry)", path, host, host)
	}
	str := func(k string) string { s, _ := entry[k].(string); return s }
	c := credential{bearer: str("bearer-token"), username: str("username"), password: str("password")}
	// Only what apply sends is checked: the bearer token when there is one
	// (deriva-py sends nothing else then), else the cookie. A cookie left
	// unsent beside a token is ignored, as deriva-py ignores it, rather
	// than refused for a flaw that could never reach the server.
	sent, key := c.bearer, "bearer-token"
	if cookie := str("cookie"); cookie != "" && c.bearer == "" {
		name, value, found := strings.Cut(cookie, "=")
		if !found || name == "" {
			return credential{}, fmt.Errorf("the credential file %s: the cookie for %s is not name=value "+
				"(log in again with deriva-globus-auth-utils)", path, host)
		}
		c.cookieName, c.cookieValue = name, value
		sent, key = cookie, "cookie"
	}
	if problem := headerValueProblem(sent); problem != "" {
		return credential{}, &catalog.Error{Kind: ErrBadCredential, Op: "read the credential file " + path,
			Detail: fmt.Sprintf("the %s for %s %s", key, host, problem),
			Fix: fmt.Sprintf("log in again with: deriva-globus-auth-utils login --host %s "+
				"(or edit %s so the %s for %s is exactly the value the server issued)", host, path, key, host)}
	}
	if c.password == "" {
		c.username = ""
	}
	return c, nil
}

// headerValueProblem says why v cannot go in an HTTP header as it is, or
// returns "" when it can. It never quotes v, which is a secret.
func headerValueProblem(v string) string {
	if strings.TrimSpace(v) != v {
		return "starts or ends with whitespace"
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return "contains a control character"
		}
	}
	return ""
}
