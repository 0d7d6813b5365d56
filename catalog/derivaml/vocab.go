package derivaml

import (
	"context"
	"fmt"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// Term is a vocabulary term (DerivaML's VocabularyTerm).
type Term struct {
	RID         string   `json:"RID"`
	Name        string   `json:"Name"`
	Description string   `json:"Description"`
	Synonyms    []string `json:"Synonyms"`
	ID          string   `json:"ID"`
	URI         string   `json:"URI"`
}

func termFromRow(r catalog.Row) Term {
	t := Term{RID: r.RID(), Name: r.String("Name"), Description: r.String("Description"),
		ID: r.String("ID"), URI: r.String("URI"), Synonyms: []string{}}
	if syn, ok := r["Synonyms"].([]any); ok {
		for _, s := range syn {
			if str, ok := s.(string); ok {
				t.Synonyms = append(t.Synonyms, str)
			}
		}
	}
	return t
}

// vocabulary resolves a vocabulary table by name.
func (m *ML) vocabulary(ctx context.Context, name string) (*catalog.Table, error) {
	t, err := m.table(ctx, name)
	if err != nil {
		return nil, err
	}
	if !IsVocabulary(t) {
		return nil, &TableTypeError{Type: "vocabulary", Table: t.Name}
	}
	return t, nil
}

// AddTerm adds a term to a vocabulary, its ID and URI taken from the
// server defaults ("<project>:<RID>", "/id/<RID>") as DerivaML does. A term
// whose name already exists is returned as it is (add_term's exists_ok).
func (m *ML) AddTerm(ctx context.Context, vocab, name, description string, synonyms []string) (Term, error) {
	t, err := m.vocabulary(ctx, vocab)
	if err != nil {
		return Term{}, err
	}
	syn := make([]any, len(synonyms))
	for i, s := range synonyms {
		syn[i] = s
	}
	rows, err := m.store.Insert(ctx, t.Ref(), []catalog.Row{{"Name": name, "Description": description, "Synonyms": syn}},
		catalog.InsertOptions{Defaults: []string{"ID", "URI"}, OnConflictSkip: true})
	if err != nil {
		return Term{}, fmt.Errorf("add term %s to %s: %w", name, t.Name, err)
	}
	if len(rows) == 1 {
		return termFromRow(rows[0]), nil
	}
	return m.LookupTerm(ctx, vocab, name)
}

// LookupTerm finds a term by its name or one of its synonyms.
func (m *ML) LookupTerm(ctx context.Context, vocab, name string) (Term, error) {
	t, err := m.vocabulary(ctx, vocab)
	if err != nil {
		return Term{}, err
	}
	terms, err := m.lookupTerms(ctx, t, []string{name})
	if err != nil {
		return Term{}, err
	}
	if term, ok := terms[name]; ok {
		return term, nil
	}
	return Term{}, &InvalidTermError{Vocabulary: t.Name, Term: name}
}

// lookupTerms resolves names or synonyms to terms with one query for the
// names; names that match nothing are absent from the result.
func (m *ML) lookupTerms(ctx context.Context, vocab *catalog.Table, names []string) (map[string]Term, error) {
	names = uniq(names)
	out := map[string]Term{}
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: vocab.Ref()}, "Name", names)
	if err != nil {
		return nil, fmt.Errorf("look up terms of %s: %w", vocab.Name, err)
	}
	for _, r := range rows {
		term := termFromRow(r)
		out[term.Name] = term
	}
	var missing []string
	for _, n := range names {
		if _, ok := out[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	// Synonyms live in an array column: one "contains" test per name, a
	// bounded number of names per request.
	const perRequest = 50
	var got []catalog.Row
	for start := 0; start < len(missing); start += perRequest {
		var syn catalog.Or
		for _, n := range missing[start:min(start+perRequest, len(missing))] {
			syn = append(syn, catalog.Eq{Column: "Synonyms", Value: n})
		}
		rows, err := queryAll(ctx, m.store, catalog.Query{Table: vocab.Ref(), Where: syn})
		if err != nil {
			return nil, fmt.Errorf("look up synonyms in %s: %w", vocab.Name, err)
		}
		got = append(got, rows...)
	}
	for _, r := range got {
		term := termFromRow(r)
		for _, n := range missing {
			if _, done := out[n]; !done && slices.Contains(term.Synonyms, n) {
				out[n] = term
			}
		}
	}
	return out, nil
}

// ListTerms lists a vocabulary's terms in creation (RID) order.
func (m *ML) ListTerms(ctx context.Context, vocab string) ([]Term, error) {
	t, err := m.vocabulary(ctx, vocab)
	if err != nil {
		return nil, err
	}
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: t.Ref()})
	if err != nil {
		return nil, err
	}
	out := make([]Term, len(rows))
	for i, r := range rows {
		out[i] = termFromRow(r)
	}
	return out, nil
}

// termNames resolves names or synonyms in a deriva-ml vocabulary.
func (m *ML) termNames(ctx context.Context, vocab string, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	v, err := m.vocabulary(ctx, MLSchema+":"+vocab)
	if err != nil {
		return nil, err
	}
	terms, err := m.lookupTerms(ctx, v, names)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		term, ok := terms[n]
		if !ok {
			return nil, &InvalidTermError{Vocabulary: vocab, Term: n}
		}
		out = append(out, term.Name)
	}
	return uniq(out), nil
}
