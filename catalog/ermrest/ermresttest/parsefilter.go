package ermresttest

import "strings"

// parseFilter reads a disjunction of conjunctions of (negated) predicates.
func parseFilter(p *parser) (fnode, error) {
	var or fOr
	for {
		var and fAnd
		for {
			neg := false
			if p.peek().is("!") {
				p.next()
				neg = true
			}
			pred, err := parsePredicate(p)
			if err != nil {
				return nil, err
			}
			if neg {
				pred = fNot{pred}
			}
			and = append(and, pred)
			if !p.peek().is("&") {
				break
			}
			p.next()
		}
		or = append(or, and)
		if !p.peek().is(";") {
			break
		}
		p.next()
	}
	if len(or) == 1 {
		return or[0], nil
	}
	return or, nil
}

var opLabels = map[string]bool{"lt": true, "leq": true, "gt": true, "geq": true, "regexp": true, "ciregexp": true, "ts": true}

func parsePredicate(p *parser) (fnode, error) {
	if p.peek().is("(") {
		p.next()
		f, err := parseFilter(p)
		if err != nil {
			return nil, err
		}
		return f, p.punct(")")
	}
	col, err := parseName(p)
	if err != nil {
		return nil, err
	}
	pred := fPred{col: col}
	switch t := p.next(); {
	case t.is("="):
		pred.op = "="
	case t.kind == tokOp:
		label := p.next()
		if label.kind != tokText || !(opLabels[strings.ToLower(label.raw)] || label.keyword("null")) {
			return nil, atToken(label)
		}
		pred.op = strings.ToLower(label.raw)
		if t := p.next(); t.kind != tokOp {
			return nil, atToken(t)
		}
		if pred.op == "null" {
			return pred, nil
		}
	default:
		return nil, atToken(t)
	}
	switch t := p.peek(); {
	case t.is("("):
		return nil, parseError{"Value list requires quantifier prefix, e.g. all(1,2,3) or any(1,2,3)"}
	case t.kind == tokText && p.toks[p.i+1].is("(") && (strings.EqualFold(t.raw, "any") || strings.EqualFold(t.raw, "all")):
		pred.quant = strings.ToLower(p.next().raw)
		p.next()
		for {
			v := ""
			if p.peek().kind == tokText {
				v = p.next().text
			}
			pred.vals = append(pred.vals, v)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		return pred, p.punct(")")
	case t.is(":"):
		pred.name = true
		_, err := parseName(p)
		return pred, err
	case t.kind == tokText:
		pred.vals = []string{p.next().text}
	default: // "col=" is the empty string
		pred.vals = []string{""}
	}
	return pred, nil
}
