package store

import "context"

// JSONTextForTest exposes jsonText to the external tests.
var JSONTextForTest = jsonText

// MigrateToForTest applies the migrations up to version upTo only.
func MigrateToForTest(s *Store, ctx context.Context, upTo int) error { return s.migrate(ctx, upTo) }
