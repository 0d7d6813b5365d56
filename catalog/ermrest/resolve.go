package ermrest

import (
	"context"
	"net/http"

	"github.com/cyclezero/cyclezero/catalog"
)

// Snapshot returns the catalog's current snapshot id from GET
// /ermrest/catalog/N. The model document's snaptime is the model's version
// and can be older (reference ermrest.md §0.13), so it is not used.
func (c *Client) Snapshot(ctx context.Context) (string, error) {
	r := request{method: http.MethodGet, path: c.catalogPath(""), limit: smallAnswer}
	resp, err := c.do(ctx, r)
	if err != nil {
		return "", err
	}
	var doc struct {
		Snaptime string `json:"snaptime"`
	}
	if err := c.decodeJSON(r.op(), resp, &doc); err != nil {
		return "", err
	}
	if doc.Snaptime == "" {
		return "", c.badResponse(r.op(), "the catalog document has no snaptime")
	}
	return doc.Snaptime, nil
}

// ResolveRID looks a RID up with GET C/entity_rid/RID. ERMrest normalizes
// the RID (case, dashes, O/I/L); a deleted entity answers 200 with the
// snapshot where it was last visible; an unknown one 404 (ErrNotFound).
func (c *Client) ResolveRID(ctx context.Context, rid string, at string) (catalog.RIDInfo, error) {
	op := "GET " + c.catalogPath(at) + "/entity_rid/"
	if rid == "" {
		return catalog.RIDInfo{}, invalid(op, "give a RID such as 1-ABC2", "no RID given")
	}
	r := request{method: http.MethodGet, path: c.catalogPath(at) + "/entity_rid/" + Escape(rid), limit: smallAnswer}
	resp, err := c.do(ctx, r)
	if err != nil {
		return catalog.RIDInfo{}, err
	}
	var doc struct {
		RID                 string `json:"RID"`
		Schema              string `json:"schema_name"`
		Table               string `json:"table_name"`
		DeletedAt           string `json:"deleted_at"`
		LastVisibleSnaptime string `json:"last_visible_snaptime"`
	}
	if err := c.decodeJSON(r.op(), resp, &doc); err != nil {
		return catalog.RIDInfo{}, err
	}
	if doc.RID == "" || doc.Table == "" {
		return catalog.RIDInfo{}, c.badResponse(r.op(), "the RID answer names no RID or table")
	}
	return catalog.RIDInfo{RID: doc.RID, Table: catalog.TableRef{Schema: doc.Schema, Table: doc.Table},
		DeletedAt: doc.DeletedAt, LastVisibleSnaptime: doc.LastVisibleSnaptime}, nil
}
