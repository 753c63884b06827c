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
// again with the statements of migrations 0026, 0036 (the breakdown's hours
// and months) and 0039, as they filled them from the rows of a database
// migrated with data in it.
func RefillCountersForTest(s *Store, ctx context.Context) error {
	ms, err := s.Engine.Migrations()
	if err != nil {
		return err
	}
	var fill []string
	for _, m := range ms {
		switch m.Version {
		case 26:
			fill = append(fill, m.SQL[strings.Index(m.SQL, "INSERT INTO link_rollups"):strings.Index(m.SQL, "-- The lists'")])
		case 36:
			fill = append(fill, m.SQL[strings.Index(m.SQL, "INSERT INTO link_breakdown_rollups"):])
		case 39:
			fill = append(fill, m.SQL[strings.Index(m.SQL, "INSERT INTO row_counts"):strings.Index(m.SQL, "-- A link's sessions")])
		}
	}
	return s.InTx(ctx, func(tx *Tx) error {
		for _, t := range []string{"link_rollups", "link_money_rollups", "link_breakdown_rollups", "org_rollups",
			"org_order_rollups", "row_counts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return err
			}
		}
		for _, q := range fill {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
