package ermresttest

import "strings"

// parseDataPath reads the part after entity/, attribute/, attributegroup/
// or aggregate/: path segments separated by '/', the projection (last
// segment, except for entity) and the @sort/@after/@before modifiers.
func parseDataPath(toks []token, r *route) error {
	// The modifiers start at the first '@' outside parentheses.
	body, mods := cutTopLevel(toks, "@")
	segs, err := segments(body)
	if err != nil {
		return err
	}
	if err := parseRoot(segs[0], r); err != nil {
		return err
	}
	rest := segs[1:]
	if r.api != "entity" {
		if len(rest) == 0 {
			return atToken(body[len(body)-1])
		}
		if err := parseProjection(rest[len(rest)-1], r); err != nil {
			return err
		}
		rest = rest[:len(rest)-1]
	}
	for _, seg := range rest {
		if !isFilter(seg) {
			return unsupported{"joins, links and context resets in data paths"}
		}
		p := &parser{toks: seg}
		f, err := parseFilter(p)
		if err != nil {
			return err
		}
		if err := p.end(); err != nil {
			return err
		}
		r.filters = append(r.filters, f)
	}
	if mods != nil {
		return parseModifiers(&parser{toks: mods}, r)
	}
	return nil
}

// cutTopLevel splits toks at the first sep outside parentheses into the part
// before it (ending in EOF) and the rest starting at sep; rest is nil when
// there is no such sep.
func cutTopLevel(toks []token, sep string) (before, rest []token) {
	depth := 0
	for i, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case t.is(sep) && depth == 0:
			return append(toks[:i:i], token{kind: tokEOF, pos: t.pos}), toks[i:]
		}
	}
	return toks, nil
}

// segments splits tokens at '/' outside parentheses; each segment ends in EOF.
func segments(toks []token) ([][]token, error) {
	var out [][]token
	start, depth := 0, 0
	for i, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case t.is("/") && depth == 0, t.kind == tokEOF:
			if i == start {
				return nil, atToken(t)
			}
			seg := append(toks[start:i:i], token{kind: tokEOF, pos: t.pos})
			out = append(out, seg)
			start = i + 1
		}
	}
	return out, nil
}

// isFilter tells a filter segment from a link (S:T, (cols), $A, A:=…).
func isFilter(seg []token) bool {
	if seg[0].is("$") {
		return false
	}
	if len(seg) > 1 && seg[0].kind == tokText && seg[1].is("(") {
		switch strings.ToLower(seg[0].raw) {
		case "left", "right", "full":
			return false
		}
	}
	for _, t := range seg {
		if t.kind == tokAssign {
			return false
		}
		if t.is("=") || t.kind == tokOp {
			return true
		}
	}
	return false
}

// parseRoot reads "[A:=]S:T" or "[A:=]T".
func parseRoot(seg []token, r *route) error {
	p := &parser{toks: seg}
	if len(seg) > 2 && seg[1].kind == tokAssign {
		r.alias = p.next().text
		p.next()
	}
	name, err := parseName(p)
	if err != nil {
		return err
	}
	if len(name) > 2 {
		return atToken(seg[len(seg)-1])
	}
	r.root = name
	return p.end()
}

// parseName reads a name "[:]a[:b[:c]]".
func parseName(p *parser) ([]string, error) {
	if p.peek().is(":") {
		p.next()
	}
	var parts []string
	for {
		s, err := p.text()
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
		if !p.peek().is(":") {
			return parts, nil
		}
		p.next()
	}
}

// parseProjection reads the attribute list, the aggregate list or the
// attributegroup "keys[;aggregates]".
func parseProjection(seg []token, r *route) error {
	lists := [][]token{seg}
	if r.api == "attributegroup" {
		if keys, from := cutTopLevel(seg, ";"); from != nil {
			lists = [][]token{keys, from[1:]}
		}
	}
	var all [][]attr
	for _, l := range lists {
		p := &parser{toks: l}
		var items []attr
		for {
			a, err := parseAttr(p, r.api != "attribute")
			if err != nil {
				return err
			}
			items = append(items, a)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		if err := p.end(); err != nil {
			return err
		}
		all = append(all, items)
	}
	if r.api == "attributegroup" {
		r.keys = all[0]
		if len(all) > 1 {
			r.attrs = all[1]
		}
		return nil
	}
	r.attrs = all[0]
	return nil
}

// parseAttr reads "[alias:=]name" or, where aggregates are allowed,
// "[alias:=]fn(name)".
func parseAttr(p *parser, aggs bool) (attr, error) {
	var a attr
	if p.peek().kind == tokText && p.toks[p.i+1].kind == tokAssign {
		a.alias = p.next().text
		p.next()
	}
	if aggs && p.peek().kind == tokText && p.toks[p.i+1].is("(") {
		a.fn = strings.ToLower(p.next().text)
		p.next()
		name, err := parseName(p)
		if err != nil {
			return a, err
		}
		a.name = name
		for a.fn == "bin" && len(a.bin) < 3 { // bin(col;nbins;minval;maxval)
			if err := p.punct(";"); err != nil {
				return a, err
			}
			v, err := p.text()
			if err != nil {
				return a, err
			}
			a.bin = append(a.bin, v)
		}
		return a, p.punct(")")
	}
	name, err := parseName(p)
	a.name = name
	return a, err
}

// parseModifiers reads @sort(...) then @after(...) and/or @before(...).
// Each, once read, holds at least one entry, so nil means absent.
func parseModifiers(p *parser, r *route) error {
	var err error
	for p.peek().kind != tokEOF {
		if err := p.punct("@"); err != nil {
			return err
		}
		kw := p.next()
		switch {
		case kw.keyword("sort") && r.sort == nil:
			if err := p.punct("("); err != nil {
				return err
			}
			for {
				name, err := p.text()
				if err != nil {
					return err
				}
				k := sortKey{name: name}
				if p.peek().kind == tokOp {
					p.next()
					if t := p.next(); !t.keyword("desc") {
						return atToken(t)
					}
					if t := p.next(); t.kind != tokOp {
						return atToken(t)
					}
					k.desc = true
				}
				r.sort = append(r.sort, k)
				if !p.peek().is(",") {
					break
				}
				p.next()
			}
			if err := p.punct(")"); err != nil {
				return err
			}
		case kw.keyword("after") && r.sort != nil && r.after == nil:
			if r.after, err = parsePage(p); err != nil {
				return err
			}
		case kw.keyword("before") && r.sort != nil && r.before == nil:
			if r.before, err = parsePage(p); err != nil {
				return err
			}
		default:
			return atToken(kw)
		}
	}
	return nil
}

// parsePage reads "(v1,::null::,)" page key values.
func parsePage(p *parser) ([]pageVal, error) {
	if err := p.punct("("); err != nil {
		return nil, err
	}
	var out []pageVal
	for {
		var v pageVal
		switch t := p.peek(); {
		case t.kind == tokText:
			v.text = p.next().text
		case t.kind == tokOp:
			p.next()
			if t := p.next(); !t.keyword("null") {
				return nil, atToken(t)
			}
			if t := p.next(); t.kind != tokOp {
				return nil, atToken(t)
			}
			v.null = true
		}
		out = append(out, v)
		if !p.peek().is(",") {
			break
		}
		p.next()
	}
	return out, p.punct(")")
}
