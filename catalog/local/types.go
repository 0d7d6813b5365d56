package local

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// kind is how a column's values are stored and normalized.
type kind uint8

const (
	kText kind = iota
	kBool
	kInt
	kFloat
	kTimestamptz
	kJSON
	kDate // canonical YYYY-MM-DD text
)

// sqlType is the STRICT column type SQLite stores a kind as.
func (k kind) sqlType() string {
	switch k {
	case kBool, kInt:
		return "INTEGER"
	case kFloat:
		return "REAL"
	}
	return "TEXT"
}

// scalarKinds maps the creatable ERMrest scalar types to their kind.
var scalarKinds = map[string]kind{
	"boolean": kBool, "date": kDate, "float4": kFloat, "float8": kFloat,
	"int2": kInt, "int4": kInt, "int8": kInt, "serial2": kInt, "serial4": kInt, "serial8": kInt,
	"text": kText, "timestamptz": kTimestamptz, "timestamp": kText, "time": kText, "timetz": kText,
	"interval": kText, "uuid": kText, "json": kJSON, "jsonb": kJSON,
}

// domainBases maps ERMrest's built-in domains to their base type.
var domainBases = map[string]string{
	"ermrest_rid": "text", "ermrest_rcb": "text", "ermrest_rmb": "text", "ermrest_uri": "text",
	"ermrest_curie": "text", "longtext": "text", "markdown": "text", "color_rgb_hex": "text",
	"gene_sequence": "text", "url": "text", "uri": "text", "curie": "text",
	"ermrest_rct": "timestamptz", "ermrest_rmt": "timestamptz",
}

// typeAliases are the Postgres spellings ERMrest accepts on input.
var typeAliases = map[string]string{
	"bool": "boolean", "int": "int4", "integer": "int4", "bigint": "int8", "smallint": "int2",
	"real": "float4", "double precision": "float8", "serial": "serial4", "bigserial": "serial8",
	"timestamp with time zone": "timestamptz", "character varying": "text",
}

// canonicalType returns t in the form ERMrest reports it (domains with their
// base, arrays with their element type), or ErrConflict for a type ERMrest
// does not support.
func canonicalType(t catalog.Type) (catalog.Type, error) {
	name := strings.TrimSpace(t.Name)
	if a, ok := typeAliases[name]; ok {
		name = a
	}
	elem, isArray := strings.CutSuffix(name, "[]")
	if !isArray && t.IsArray { // is_array with the element's name
		isArray, elem = true, name
		if t.Base != nil {
			elem = t.Base.Name
		}
	}
	if isArray {
		base, err := canonicalType(catalog.Type{Name: elem})
		if err != nil {
			return catalog.Type{}, err
		}
		if base.IsArray {
			return catalog.Type{}, unsupportedType(t.Name)
		}
		return catalog.ArrayOf(base), nil
	}
	if base, ok := domainBases[name]; ok {
		return catalog.Type{Name: name, IsDomain: true, Base: &catalog.Type{Name: base}}, nil
	}
	if _, ok := scalarKinds[name]; ok {
		return catalog.Type{Name: name}, nil
	}
	return catalog.Type{}, unsupportedType(t.Name)
}

func unsupportedType(name string) error {
	return &catalog.Error{Kind: catalog.ErrConflict, Detail: fmt.Sprintf("Unsupported type %q", name),
		Fix: "use one of ERMrest's types (text, int4, int8, float8, boolean, date, timestamptz, jsonb, markdown, …)"}
}

// colInfo is one column of a table as the store handles it.
type colInfo struct {
	name   string
	rid    string
	phys   string // quoted SQLite identifier
	typ    catalog.Type
	k      kind // element kind for arrays
	array  bool
	nullok bool
	def    json.RawMessage
	// ridTemplate marks the ID/URI/id/uri columns of type ermrest_curie or
	// ermrest_uri whose "{RID}" ERMrest's maintain_row trigger expands.
	ridTemplate bool
	colorHex    bool
}

func newColInfo(c catalog.Column) colInfo {
	ci := colInfo{name: c.Name, rid: c.RID, phys: quoteIdent("c" + c.RID), typ: c.Type,
		array: c.Type.IsArray, nullok: c.NullOK, def: c.Default}
	ci.k = scalarKinds[c.Type.BaseName()]
	switch c.Name {
	case "ID", "URI", "id", "uri":
		ci.ridTemplate = !ci.array && (c.Type.Name == "ermrest_curie" || c.Type.Name == "ermrest_uri")
	}
	ci.colorHex = !ci.array && c.Type.Name == "color_rgb_hex"
	return ci
}

// storedKind is the kind of the stored value: arrays are JSON text.
func (c *colInfo) storedKind() kind {
	if c.array {
		return kJSON
	}
	return c.k
}

var colorHexRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// toStorage converts a caller's value for column c to what SQLite stores.
func (c *colInfo) toStorage(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if tm, ok := v.(time.Time); ok && c.k == kDate && !c.array {
		v = tm.Format(time.DateOnly)
	}
	nv, err := catalog.NormalizeValue(c.typ, v)
	if err != nil {
		return nil, badValue(c.name, err)
	}
	if c.array {
		arr := nv.([]any)
		for i, e := range arr {
			if err := checkIntRange(c.typ.BaseName(), e); err != nil {
				return nil, badValue(c.name, err)
			}
			if c.k == kTimestamptz || c.k == kDate {
				if arr[i], err = storeScalar(c.k, e); err != nil {
					return nil, badValue(c.name, err)
				}
			}
		}
		b, err := json.Marshal(arr)
		if err != nil {
			return nil, badValue(c.name, err)
		}
		return string(b), nil
	}
	if err := checkIntRange(c.typ.BaseName(), nv); err != nil {
		return nil, badValue(c.name, err)
	}
	sv, err := storeScalar(c.k, nv)
	if err != nil {
		return nil, badValue(c.name, err)
	}
	if c.colorHex && !colorHexRe.MatchString(sv.(string)) {
		return nil, &catalog.Error{Kind: catalog.ErrConflict,
			Detail: fmt.Sprintf("value for domain color_rgb_hex violates check constraint \"color_rgb_hex_format\" (column %s)", c.name),
			Fix:    `write colours as "#rrggbb"`}
	}
	return sv, nil
}

// storeScalar converts one normalized scalar to its stored form.
func storeScalar(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kBool:
		if v.(bool) {
			return int64(1), nil
		}
		return int64(0), nil
	case kTimestamptz:
		t, err := parseTimestamp(v.(string))
		if err != nil {
			return nil, err
		}
		return catalog.FormatTimestamp(t), nil
	case kDate:
		return parseDate(v.(string))
	case kJSON:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return v, nil
}

// elemStorage converts a filter literal compared with an array's elements.
func (c *colInfo) elemStorage(v any) (any, error) {
	elem := catalog.TypeText
	if c.typ.Base != nil {
		elem = *c.typ.Base
	}
	nv, err := catalog.NormalizeValue(elem, v)
	if err != nil {
		return nil, badValue(c.name, err)
	}
	if err := checkIntRange(elem.BaseName(), nv); err != nil {
		return nil, badValue(c.name, err)
	}
	sv, err := storeScalar(c.k, nv)
	if err != nil {
		return nil, badValue(c.name, err)
	}
	return sv, nil
}

// fromStorage converts a stored value back to the Row convention.
func (c *colInfo) fromStorage(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if c.array {
		s, _ := v.(string)
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var arr []any
		if err := dec.Decode(&arr); err != nil {
			return nil, fmt.Errorf("column %s: stored array %q: %w", c.name, s, err)
		}
		return catalog.NormalizeValue(c.typ, arr)
	}
	switch c.k {
	case kBool:
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case float64:
			return x != 0, nil
		}
	case kInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			return int64(x), nil
		}
	case kFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case kJSON:
		s, _ := v.(string)
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("column %s: stored json %q: %w", c.name, s, err)
		}
		return out, nil
	default:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return fmt.Sprint(v), nil
	}
	return nil, fmt.Errorf("column %s: unexpected stored %T", c.name, v)
}

// defaultValue is the column's declared default, decoded, or nil.
func (c *colInfo) defaultValue() any {
	if len(c.def) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(c.def, &v); err != nil {
		return nil
	}
	return v
}

// emptyValue is what ERMrest stores for a key missing from an input row:
// NULL, or an empty array for array columns.
func (c *colInfo) emptyValue() any {
	if c.array {
		return "[]"
	}
	return nil
}

func badValue(col string, err error) error {
	return &catalog.Error{Kind: catalog.ErrBadRequest, Detail: fmt.Sprintf("bad value for column %s: %v", col, err),
		Fix: "check the value's type against the column's type in the model"}
}

// parseTimestamp accepts ERMrest's output forms and the ISO forms Postgres
// reads as timestamptz literals; a time without an offset is taken as UTC.
func parseTimestamp(s string) (time.Time, error) {
	if t, err := catalog.ParseTimestamp(s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			// The same year range as with an offset, so what is stored
			// can always be read back.
			return t, catalog.CheckTimestamp(t)
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
