package derivaml

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// URLPattern returns the upload URL pattern of an asset table: the
// url_pattern of the asset annotation on its URL column, or "" when it has
// none (File, whose URLs point outside Hatrac).
func URLPattern(t *catalog.Table) string {
	c := t.Column("URL")
	if c == nil {
		return ""
	}
	var ann struct {
		URLPattern string `json:"url_pattern"`
	}
	if raw := c.Annotations[catalog.TagAsset]; len(raw) > 0 && json.Unmarshal(raw, &ann) == nil {
		return ann.URLPattern
	}
	return ""
}

var (
	encodeSection = regexp.MustCompile(`{{#encode}}(.*?){{/encode}}`)
	templateVar   = regexp.MustCompile(`{{{?\s*([$A-Za-z0-9_.]+)\s*}?}}`)
)

// ExpandURLPattern fills an asset url_pattern the way Chaise does for the
// patterns DerivaML and deriva-py write: {{$catalog.id}}, {{MD5}} or
// {{{MD5}}}, {{Filename}} or {{{Filename}}}, and {{#encode}}…{{/encode}}
// (URL-encoding the text inside). Other variables come from vars; a
// variable with no value is an error, since the URL would be wrong.
func ExpandURLPattern(pattern, catalogID string, vars map[string]string) (string, error) {
	var missing []string
	lookup := func(name string) string {
		if name == "$catalog.id" {
			return catalogID
		}
		v, ok := vars[name]
		if !ok {
			missing = append(missing, name)
		}
		return v
	}
	fill := func(s string) string {
		return templateVar.ReplaceAllStringFunc(s, func(m string) string {
			return lookup(templateVar.FindStringSubmatch(m)[1])
		})
	}
	out := encodeSection.ReplaceAllStringFunc(pattern, func(m string) string {
		return encodeURIComponent(fill(encodeSection.FindStringSubmatch(m)[1]))
	})
	out = fill(out)
	if len(missing) > 0 {
		return "", fmt.Errorf("url pattern %s: no value for %s", pattern, strings.Join(missing, ", "))
	}
	return out, nil
}

// encodeURIComponent is JavaScript's encodeURIComponent, which Chaise's
// {{#encode}} applies: UTF-8 bytes are %-escaped except letters, digits
// and -_.!~*'().
func encodeURIComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
