package e2e_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/cli"
	"github.com/paylink/paylink/internal/store/storetest"
)

// A backup taken while customers keep buying holds every order committed before
// it started, and restores into a database paylink opens.
func TestBackupWhileServingKeepsEveryOrder(t *testing.T) {
	dir := t.TempDir()
	s := newShop(t, "sqlite:"+filepath.Join(dir, "live.db"))
	buy := func() {
		secret, _ := s.visit(t, "")
		s.pay(t, secret, client.CheckoutConfirm{ProductID: &s.plan, CustomerEmail: new("ann@example.com"),
			CustomerBillingAddress: &client.Address{Country: "FR"}})
	}
	for range 5 {
		buy()
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var during atomic.Int64
	for range 2 { // purchases go on during the backup
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					buy()
					during.Add(1)
				}
			}
		})
	}
	for during.Load() < 4 { // the load is on
		runtime.Gosched()
	}
	before := orderIDs(t, s)

	var out bytes.Buffer
	backupFile := filepath.Join(dir, "backup.db")
	if err := cli.Run(context.Background(), []string{"backup", "--database", "sqlite:" + filepath.Join(dir, "live.db"), "--to", backupFile},
		func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if during.Load() < 6 {
		t.Logf("only %d purchases during the backup", during.Load())
	}
	if !strings.HasPrefix(out.String(), "backed up ") {
		t.Errorf("backup printed %q", out.String())
	}
	if err := cli.Run(context.Background(), []string{"backup", "--database", "sqlite:" + filepath.Join(dir, "live.db"), "--to", backupFile},
		func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup onto the same file: %v", err)
	}

	restored := "sqlite:" + filepath.Join(dir, "restored.db")
	if err := cli.Run(context.Background(), []string{"restore", "--from", backupFile, "--database", restored},
		func(string) string { return "" }, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, restored)
	have := map[string]bool{}
	rows, err := st.DB.Query(`SELECT id FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		have[id] = true
	}
	rows.Close()
	for _, id := range before {
		if !have[id] {
			t.Fatalf("order %s, committed before the backup, is not in it (%d of %d there; %d bought during)", id, len(have), len(before), during.Load())
		}
	}
	if err := cli.Run(context.Background(), []string{"restore", "--from", backupFile, "--database", restored},
		func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore onto an existing database: %v", err)
	}
	if err := cli.Run(context.Background(), []string{"backup", "--database", "postgres://u@127.0.0.1:1/x", "--to", filepath.Join(dir, "pg.dump")},
		func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of PostgreSQL: %v, want the pg_dump recipe", err)
	}
}

func orderIDs(t *testing.T, s *shop) []string {
	t.Helper()
	var ids []string
	for page := 1; ; page++ {
		list := ok(s.api.Orders(t.Context(), &client.ListOptions{Page: page, Limit: 100}))(t)
		for _, o := range list.Items {
			ids = append(ids, o.ID)
		}
		if page >= list.Pagination.MaxPage {
			return ids
		}
	}
}
