package ermresttest

import (
	"fmt"
	"strings"
)

// route is a parsed ERMrest request URI.
type route struct {
	service   bool   // /ermrest/
	catalog   string // catalog id
	snap      string // @snapshot, "" for live
	api       string // "", "schema", "entity", "attribute", "attributegroup", "aggregate", "entity_rid"
	schema    string // schema/{schema}
	table     string // schema/{schema}/table/{table}
	tableList bool   // schema/{schema}/table
	rid       string // entity_rid/{rid}

	root    []string // the data path's table: [T] or [S, T]
	alias   string   // A:=S:T
	filters []fnode  // one per filter segment, ANDed
	keys    []attr   // attributegroup group keys
	attrs   []attr   // projection (attribute, aggregate, attributegroup after ';')

	sort   []sortKey // nil when there is no @sort
	after  []pageVal // nil when there is no @after
	before []pageVal // nil when there is no @before

	opts map[string][]string // query parameters; a bare one maps to nil
}

type attr struct {
	alias string   // out:=…
	fn    string   // aggregate function, "" for a plain column
	name  []string // column reference parts; the last is the column (or "*")
	bin   []string // fn "bin": nbins, minval and maxval as written
}

type sortKey struct {
	name string
	desc bool
}

type pageVal struct {
	null bool
	text string
}

// fnode is a filter as written: fAnd, fOr, fNot or fPred.
type fnode interface{}

type (
	fAnd  []fnode
	fOr   []fnode
	fNot  struct{ f fnode }
	fPred struct {
		col   []string // column reference parts
		op    string   // "=", "lt", "leq", "gt", "geq", "regexp", "ciregexp", "ts", "null"
		quant string   // "", "any" or "all"
		vals  []string // one value, or the quantified list
		name  bool     // the right side is a column reference (unsupported)
	}
)

// parseError is a URL the grammar rejects; it answers 400 with its message.
type parseError struct{ msg string }

func (e parseError) Error() string { return e.msg }

func atToken(t token) error {
	if t.kind == tokEOF {
		return parseError{"URL parse error at token: None"}
	}
	return parseError{fmt.Sprintf("URL parse error at token: LexToken(%s,'%s',1,%d)", t.plyType, t.plyValue, t.pos)}
}

// unsupported is a valid request the fake does not implement.
type unsupported struct{ what string }

func (e unsupported) Error() string {
	return "ermresttest: the test fake does not implement " + e.what
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) punct(s string) error {
	if t := p.next(); !t.is(s) {
		return atToken(t)
	}
	return nil
}

func (p *parser) text() (string, error) {
	t := p.next()
	if t.kind != tokText {
		return "", atToken(t)
	}
	return t.text, nil
}

func (p *parser) end() error {
	if t := p.peek(); t.kind != tokEOF {
		return atToken(t)
	}
	return nil
}

// parseURI parses a request URI (path and query) as ERMrest does.
func parseURI(uri string) (*route, error) {
	path, query, _ := strings.Cut(uri, "?")
	toks, err := lex(path, 0)
	if err != nil {
		return nil, err
	}
	r := &route{}
	if r.opts, err = parseQuery(query, len(path)+1); err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if err := p.punct("/"); err != nil {
		return nil, err
	}
	if t := p.next(); !t.keyword("ermrest") {
		return nil, atToken(t)
	}
	if p.peek().kind == tokEOF || p.peek().is("/") && p.toks[p.i+1].kind == tokEOF {
		r.service = true
		return r, nil
	}
	if err := p.punct("/"); err != nil {
		return nil, err
	}
	if t := p.next(); !t.keyword("catalog") {
		return nil, unsupported{"/ermrest/" + t.raw}
	}
	if err := p.punct("/"); err != nil {
		return nil, err
	}
	if r.catalog, err = p.text(); err != nil {
		return nil, err
	}
	if p.peek().is("@") {
		p.next()
		if r.snap, err = p.text(); err != nil {
			return nil, err
		}
	}
	if p.peek().kind == tokEOF {
		return r, nil
	}
	if err := p.punct("/"); err != nil {
		return nil, err
	}
	if p.peek().kind == tokEOF {
		return r, nil
	}
	api := p.next()
	switch {
	case api.keyword("schema"):
		r.api = "schema"
		return r, parseModelPath(p, r)
	case api.keyword("entity_rid"):
		r.api = "entity_rid"
		if err := p.punct("/"); err != nil {
			return nil, err
		}
		if r.rid, err = p.text(); err != nil {
			return nil, err
		}
		return r, p.end()
	case api.keyword("entity"), api.keyword("attribute"), api.keyword("attributegroup"), api.keyword("aggregate"):
		r.api = strings.ToLower(api.raw)
		if err := p.punct("/"); err != nil {
			return nil, err
		}
		return r, parseDataPath(p.toks[p.i:], r)
	case api.kind == tokText:
		return nil, unsupported{"the " + api.text + " API"}
	}
	return nil, atToken(api)
}

// parseModelPath reads schema[/S[/table[/T]]].
func parseModelPath(p *parser, r *route) (err error) {
	if p.peek().is("/") && p.toks[p.i+1].kind != tokEOF {
		p.next()
		if r.schema, err = p.text(); err != nil {
			return err
		}
		if p.peek().is("/") && p.toks[p.i+1].kind != tokEOF {
			p.next()
			if t := p.next(); !t.keyword("table") {
				return unsupported{"model resources below a schema other than tables"}
			}
			r.tableList = true
			if p.peek().is("/") && p.toks[p.i+1].kind != tokEOF {
				p.next()
				if r.table, err = p.text(); err != nil {
					return err
				}
				if p.peek().is(":") {
					return parseError{"Qualified table name not allowed: "}
				}
				if p.peek().is("/") && p.toks[p.i+1].kind != tokEOF {
					return unsupported{"model resources below a table"}
				}
			}
		}
	}
	if p.peek().is("/") {
		p.next()
	}
	return p.end()
}

// parseQuery reads "k=v&k2=a,b;k3" into a map of value lists.
func parseQuery(q string, offset int) (map[string][]string, error) {
	opts := map[string][]string{}
	if q == "" {
		return opts, nil
	}
	toks, err := lex(q, offset)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	for {
		k, err := p.text()
		if err != nil {
			return nil, err
		}
		opts[k] = nil
		if p.peek().is("=") {
			p.next()
			for p.peek().kind == tokText {
				opts[k] = append(opts[k], p.next().text)
				if !p.peek().is(",") {
					break
				}
				p.next()
			}
		}
		switch t := p.next(); {
		case t.kind == tokEOF:
			return opts, nil
		case t.is("&"), t.is(";"):
		default:
			return nil, atToken(t)
		}
	}
}
