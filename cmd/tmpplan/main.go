package main

import (
	"context"
	"fmt"

	"github.com/paylink/paylink/internal/store"
)

func main() {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:/tmp/plan_lists.db")
	if err != nil {
		panic(err)
	}
	if err := s.Migrate(ctx); err != nil {
		panic(err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM (SELECT 1 FROM checkouts WHERE organization_id = 'o' AND status IN ('succeeded') ORDER BY created_at DESC, id LIMIT 1000) c`,
		`SELECT id FROM checkouts WHERE organization_id = 'o' AND product_id IN ('p') ORDER BY created_at DESC, id LIMIT 10`,
		`SELECT id FROM orders WHERE organization_id = 'o' AND customer_id IN ('p') ORDER BY created_at DESC, id LIMIT 10`,
		`SELECT id FROM subscriptions WHERE organization_id = 'o' AND status IN ('active') ORDER BY created_at DESC, id LIMIT 10`,
		`SELECT id FROM metadata_index md CROSS JOIN orders WHERE organization_id = 'o' AND md.org_id = 'o' AND md.kind = 'orders' AND md.mkey = 'k' AND md.mvalue IN ('v') AND md.row_id = orders.id AND EXISTS (SELECT 1 FROM metadata_index mx WHERE mx.org_id = md.org_id AND mx.kind = md.kind AND mx.mkey = 'n' AND mx.mvalue IN ('1') AND mx.row_created_at = md.row_created_at AND mx.row_id = md.row_id) ORDER BY md.row_created_at DESC, md.row_id LIMIT 10`,
		`SELECT count(*) FROM (SELECT 1 FROM metadata_index md CROSS JOIN customers WHERE organization_id = 'o' AND deleted_at IS NULL AND md.org_id = 'o' AND md.kind = 'customers' AND md.mkey = 'k' AND md.mvalue IN ('v') AND md.row_id = customers.id ORDER BY md.row_created_at DESC, md.row_id LIMIT 1000) c`,
	} {
		rows, err := s.DB.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q)
		if err != nil {
			panic(err)
		}
		fmt.Println(q[:80])
		for rows.Next() {
			var a, b, c int
			var d string
			rows.Scan(&a, &b, &c, &d)
			fmt.Println("   ", d)
		}
		rows.Close()
	}
}
