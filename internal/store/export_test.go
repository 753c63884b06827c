package store

import (
	"context"
	"strings"
)

// JSONTextForTest exposes jsonText to the external tests.
var JSONTextForTest = jsonText

// WebhookEventsOfSQLForTest is WebhookEventsOf's query, for its plan.
func WebhookEventsOfSQLForTest(s *Store, orgID, endpointID string, ids []string) (string, Args) {
	return webhookEventsOfSQL(s.Engine, orgID, endpointID, ids)
}

// MigrateToForTest applies the migrations up to version upTo only.
func MigrateToForTest(s *Store, ctx context.Context, upTo int) error { return s.migrate(ctx, upTo) }

// RefillCountersForTest empties the rollups and row counters and fills them
// again with migration 0026's statements, as they filled them from the rows of
// a database migrated with data in it.
func RefillCountersForTest(s *Store, ctx context.Context) error {
	ms, err := s.Engine.Migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Version != 26 {
			continue
		}
		sql := m.SQL[strings.Index(m.SQL, "INSERT INTO link_rollups"):strings.Index(m.SQL, "-- The lists'")]
		return s.InTx(ctx, func(tx *Tx) error {
			for _, t := range []string{"link_rollups", "link_money_rollups", "link_breakdown_rollups", "org_rollups",
				"org_order_rollups", "row_counts"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, sql)
			return err
		})
	}
	return nil
}
