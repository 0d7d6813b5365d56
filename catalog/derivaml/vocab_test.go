package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func TestVocabularyTerms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	vocab, err := ml.CreateVocabulary(ctx, "Species", "Species of a subject")
	require.NoError(t, err)
	assert.Equal(t, "demo", vocab.SchemaName)
	assert.JSONEq(t, `"demo:{RID}"`, string(vocab.Column("ID").Default))

	_, err = ml.CreateVocabulary(ctx, "Species", "again")
	assert.EqualError(t, err, "Table Species already exist")

	human, err := ml.AddTerm(ctx, "Species", "Homo sapiens", "Human", []string{"Human", "H. sapiens"})
	require.NoError(t, err)
	assert.Equal(t, "demo:"+human.RID, human.ID)
	assert.Equal(t, "/id/"+human.RID, human.URI)
	assert.Equal(t, []string{"Human", "H. sapiens"}, human.Synonyms)

	again, err := ml.AddTerm(ctx, "Species", "Homo sapiens", "other text", nil)
	require.NoError(t, err, "an existing term is returned, as add_term(exists_ok=True)")
	assert.Equal(t, human.RID, again.RID)
	assert.Equal(t, "Human", again.Description)

	bySynonym, err := ml.LookupTerm(ctx, "Species", "H. sapiens")
	require.NoError(t, err)
	assert.Equal(t, human.RID, bySynonym.RID)

	_, err = ml.LookupTerm(ctx, "Species", "Mus musculus")
	var invalid *derivaml.InvalidTermError
	require.True(t, errors.As(err, &invalid))
	assert.EqualError(t, err, "Invalid term Mus musculus in vocabulary Species: Term doesn't exist.")

	mouse, err := ml.AddTerm(ctx, "Species", "Mus musculus", "Mouse", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{}, mouse.Synonyms)
	terms, err := ml.ListTerms(ctx, "Species")
	require.NoError(t, err)
	require.Len(t, terms, 2)
	assert.Equal(t, "Homo sapiens", terms[0].Name)
	assert.Equal(t, "Mus musculus", terms[1].Name)

	_, err = ml.AddTerm(ctx, "Dataset", "x", "y", nil)
	assert.EqualError(t, err, "Table Dataset is not of type vocabulary.")
	_, err = ml.ListTerms(ctx, "Nope")
	var missing *derivaml.TableNotFoundError
	assert.True(t, errors.As(err, &missing))

	// Built-in vocabularies are found by bare name in the deriva-ml schema.
	dev, err := ml.AddTerm(ctx, "Dataset_Type", "Development", "Small representative subset.", []string{"Dev", "Debug"})
	require.NoError(t, err)
	assert.Equal(t, "demo:"+dev.RID, dev.ID)
}
