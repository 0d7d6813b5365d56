package ermrest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// NormalizeHost checks a Deriva host as typed by the user and returns it as
// a base URL. It accepts "name" or "name:port" (HTTPS is assumed),
// "https://name[:port]", and plain HTTP only for a loopback server
// ("http://127.0.0.1:PORT", "http://localhost:PORT", "http://[::1]:PORT").
// It rejects empty input, spaces, paths, queries, user info and any other
// http:// URL, because credentials must never travel in clear text.
func NormalizeHost(in string) (string, error) {
	s := strings.TrimSpace(in)
	switch {
	case s == "":
		return "", errors.New("host is empty: type the server's name, like deriva.example.org")
	case strings.ContainsAny(s, " \t"):
		return "", errors.New("host has spaces: type only the server's name, like deriva.example.org")
	}
	raw := s
	if !strings.Contains(s, "://") {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("host is not a server name or URL: type a name like deriva.example.org")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", errors.New("host: only https:// (or http:// to this machine) is supported")
	case u.User != nil:
		return "", errors.New("host has credentials in it: leave them out, cyclezero uses your deriva credential file")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", errors.New("host has a query or fragment (?… or #…): give only the server, like https://deriva.example.org")
	case u.Path != "" && u.Path != "/", u.Opaque != "":
		return "", errors.New("host has a path: give only the server, like https://deriva.example.org")
	}
	host := u.Hostname()
	if err := checkHostname(host); err != nil {
		return "", fmt.Errorf("host: %w", err)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("host: port %q is not a number from 1 to 65535", p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", errors.New("host: the port after ':' is missing")
	}
	if u.Scheme == "http" && !isLoopback(host) {
		return "", errors.New("host: plain http:// is only allowed for a local server " +
			"(http://127.0.0.1:PORT or http://localhost:PORT); use https://")
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// NormalizeHostKeepCase is NormalizeHost with the host name kept in the case
// it was typed in ("https://Deriva.Example.org"; the scheme is still
// lower-cased). A location a Client is later opened from must keep it:
// deriva's credential file is looked up by the host as given, then
// lower-cased (see credentialHost), so a key saved in upper case is found
// only when the typed case reaches New.
func NormalizeHostKeepCase(in string) (string, error) {
	base, err := NormalizeHost(in)
	if err != nil {
		return "", err
	}
	scheme, host, _ := strings.Cut(base, "://")
	return scheme + "://" + credentialHost(in, host), nil
}

// checkHostname accepts DNS names made of letters, digits, dashes and dots,
// and IP addresses.
func checkHostname(h string) error {
	if h == "" {
		return errors.New("the server name is missing")
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	if len(h) > 253 {
		return errors.New("the server name is too long")
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q is not a valid server name", h)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("%q is not a valid server name (%q is not allowed)", h, c)
			}
		}
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ValidateCatalogID checks a catalog id or alias: digits ("1"), or an alias
// of letters, digits, '_' and '-' ("my-catalog"). Its error is a
// *catalog.Error of kind catalog.ErrInvalidInput.
func ValidateCatalogID(id string) error {
	const (
		typeIt  = "type the catalog number (like 1) or its alias"
		allowed = "use digits (like 1) or an alias of letters, digits, _ and -"
	)
	s := strings.TrimSpace(id)
	if s == "" {
		return invalid("", typeIt, "catalog id is empty: %s", typeIt)
	}
	if len(s) > 128 {
		return invalid(fmt.Sprintf("catalog id %.20q…", s), "use the catalog number (like 1) or a shorter alias",
			"%d bytes is too long (at most 128)", len(s))
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return invalid(fmt.Sprintf("catalog id %q", s), allowed, "%q is not allowed; %s", c, allowed)
		}
	}
	return nil
}
