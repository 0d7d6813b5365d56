package catalog

import "context"

// Row is one entity: column name to value. Values are normalized the same way
// by every backend (see Normalize): nil for NULL, bool, int64 for integer
// types, float64 for float types, string for text, domains over text and all
// date/time types (timestamptz in ERMrest's JSON form), decoded JSON for
// json/jsonb, and []any for arrays.
type Row map[string]any

// RID returns the row's RID, or "" when it has none.
func (r Row) RID() string {
	s, _ := r[ColRID].(string)
	return s
}

// String returns the named column as a string, or "" when it is NULL or not a string.
func (r Row) String(col string) string {
	s, _ := r[col].(string)
	return s
}

// Store is a catalog with ERMrest's shape. Every method takes a context; reads
// accept a snapshot id ("" means live) and see the catalog as it was then.
//
// Implementations: catalog/ermrest (a Deriva server over HTTP) and
// catalog/local (an embedded SQLite file). catalog/storetest holds the
// contract suite both must pass.
type Store interface {
	// Model reads the whole model, at a snapshot or live.
	Model(ctx context.Context, at string) (*Model, error)

	// Create adds schemas and tables in one atomic step: either everything in
	// the change exists afterwards or nothing does. Tables are complete
	// documents (see DefineTable), foreign keys may reference tables created
	// in the same change.
	Create(ctx context.Context, change ModelChange) error

	// Insert adds rows and returns them as stored, system columns included.
	// A column missing from a row is NULL ([] for arrays), not its default;
	// columns named in opts.Defaults get the server default instead.
	Insert(ctx context.Context, table TableRef, rows []Row, opts InsertOptions) ([]Row, error)

	// Query reads rows matching q. q.Limit must be positive.
	Query(ctx context.Context, q Query) ([]Row, error)

	// Count counts rows matching g, grouped by g.GroupBy (one group with no
	// values when GroupBy is empty).
	Count(ctx context.Context, g GroupQuery) ([]GroupCount, error)

	// Update correlates each row on u.Match columns and overwrites u.Set
	// columns, returning the rows it changed. A row that matches nothing is
	// skipped; when u.Match includes RMT (optimistic concurrency) a skipped
	// row makes the call return ErrPrecondition.
	Update(ctx context.Context, table TableRef, u UpdateSpec, rows []Row) ([]Row, error)

	// Delete removes the rows matching where. Matching nothing is not an error.
	Delete(ctx context.Context, table TableRef, where Filter) error

	// ResolveRID finds the table holding rid, as of a snapshot or live. A RID
	// deleted by then resolves with DeletedAt and LastVisibleSnaptime set. An
	// unknown RID gives ErrNotFound.
	ResolveRID(ctx context.Context, rid string, at string) (RIDInfo, error)

	// Snapshot returns the catalog's current snapshot id (snaptime).
	Snapshot(ctx context.Context) (string, error)

	// Whoami returns who the catalog sees as the caller.
	Whoami(ctx context.Context) (Identity, error)

	// Describe says where the catalog is, for humans ("local catalog at …",
	// "https://host catalog 1").
	Describe() string

	// Close releases the store's resources.
	Close() error
}

// ModelChange is a set of schemas and tables to create atomically.
type ModelChange struct {
	Schemas []SchemaDef
	Tables  []*Table
}

// SchemaDef is a schema to create.
type SchemaDef struct {
	Name        string
	Comment     string
	Annotations Annotations
}

// InsertOptions mirror ERMrest's insert query parameters.
type InsertOptions struct {
	// Defaults lists columns that take the server default even when present
	// in a row (ERMrest's ?defaults=). System columns always do.
	Defaults []string
	// OnConflictSkip drops rows whose key collides with an existing row
	// instead of failing (ERMrest's ?onconflict=skip); dropped rows are not
	// returned.
	OnConflictSkip bool
}

// Query is a filtered, projected, sorted and paged read of one table.
type Query struct {
	Table TableRef
	Where Filter // nil: every row
	// Select projects columns (ERMrest's attribute API); nil returns whole
	// entities. Sort keys and After values refer to output columns, so a
	// projection that pages by RID must include RID.
	Select []string
	Sort   []SortKey
	// After continues a keyset page: one value per Sort key, rows strictly
	// after it in sort order (ERMrest's @after).
	After []any
	Limit int    // required, > 0
	At    string // snapshot id; "" for live
}

// SortKey orders by a column; ascending puts NULLs last, descending first.
type SortKey struct {
	Column string
	Desc   bool
}

// GroupQuery counts rows of a table, optionally grouped.
type GroupQuery struct {
	Table   TableRef
	Where   Filter
	GroupBy []string
	At      string
}

// GroupCount is one group's values (keyed by the GroupBy columns) and size.
type GroupCount struct {
	Values Row
	Count  int64
}

// UpdateSpec names the correlation and target columns of an update.
type UpdateSpec struct {
	Match []string // e.g. {"RID"} or {"RID","RMT"} for an optimistic guard
	Set   []string
}

// RIDInfo is the answer to a RID lookup.
type RIDInfo struct {
	RID   string
	Table TableRef
	// Set only when the entity was deleted as of the addressed snapshot.
	DeletedAt           string
	LastVisibleSnaptime string
}

// Deleted reports whether the RID names an entity that no longer exists.
func (i RIDInfo) Deleted() bool { return i.DeletedAt != "" }

// Identity is the caller as the catalog sees it.
type Identity struct {
	ID          string // what RCB/RMB record
	DisplayName string
	FullName    string
	Email       string
	Groups      []string // attribute ids other than ID
	Anonymous   bool     // no login session
}
