package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

// TestCustomersWriteAPI runs an auth integration's calls: create with the
// merchant's user id, read and update by it, read the state, delete, and create
// again with the freed email and id.
func TestCustomersWriteAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		_, tok := in.NewOrg(t, "Auth Shop")
		_, other := in.NewOrg(t, "Other Shop")

		var c map[string]any
		in.Must(t, "POST", "/v1/customers/", tok, map[string]any{"email": "Ada@Example.com", "name": "Ada",
			"external_id": "user_1", "metadata": map[string]any{"plan": "pro"}, "billing_address": map[string]any{"country": "NL"}},
			http.StatusCreated, &c)
		sum := sha256.Sum256([]byte("ada@example.com"))
		if c["external_id"] != "user_1" || c["email"] != "Ada@Example.com" || c["name"] != "Ada" ||
			c["avatar_url"] != "https://www.gravatar.com/avatar/"+hex.EncodeToString(sum[:])+"?d=404" ||
			c["metadata"].(map[string]any)["plan"] != "pro" || c["billing_address"].(map[string]any)["country"] != "NL" {
			t.Fatalf("created customer = %v", c)
		}
		id := c["id"].(string)

		// Taken values and bad ones are 422s at their field; nothing is written.
		for _, tc := range []struct {
			body map[string]any
			loc  string
		}{
			{map[string]any{"email": "ada@example.COM"}, "email"},
			{map[string]any{"email": "new@example.com", "external_id": "user_1"}, "external_id"},
			{map[string]any{"email": "not an email"}, "email"},
			{map[string]any{"name": "No email"}, "email"},
			{map[string]any{"email": "x@example.com", "external_id": ""}, "external_id"},
			{map[string]any{"email": "x@example.com", "billing_address": map[string]any{"country": "XX"}}, "billing_address"},
		} {
			assertLoc(t, in, "POST", "/v1/customers/", tok, tc.body, tc.loc)
		}
		var list struct{ Items []map[string]any }
		in.Must(t, "GET", "/v1/customers/", tok, nil, http.StatusOK, &list)
		if len(list.Items) != 1 {
			t.Fatalf("refused creates wrote customers: %v", list.Items)
		}

		// By the external id: get, update; the id itself cannot change once set.
		var got map[string]any
		in.Must(t, "GET", "/v1/customers/external/user_1", tok, nil, http.StatusOK, &got)
		if got["id"] != id {
			t.Fatalf("by external id = %v", got)
		}
		in.Must(t, "PATCH", "/v1/customers/external/user_1", tok, map[string]any{"name": "Ada L.", "metadata": map[string]any{}},
			http.StatusOK, &got)
		if got["name"] != "Ada L." || len(got["metadata"].(map[string]any)) != 0 || got["modified_at"] == nil {
			t.Fatalf("updated = %v", got)
		}
		assertLoc(t, in, "PATCH", "/v1/customers/"+id, tok, map[string]any{"external_id": "user_2"}, "external_id")
		in.Must(t, "PATCH", "/v1/customers/"+id, tok, map[string]any{"external_id": "user_1", "email": "ada@lovelace.dev"}, http.StatusOK, &got)
		if got["email"] != "ada@lovelace.dev" {
			t.Fatalf("email update = %v", got)
		}

		var state map[string]any
		in.Must(t, "GET", "/v1/customers/external/user_1/state", tok, nil, http.StatusOK, &state)
		if state["id"] != id || len(state["active_subscriptions"].([]any)) != 0 || state["granted_benefits"] == nil {
			t.Fatalf("state = %v", state)
		}
		in.Must(t, "GET", "/v1/customers/"+id+"/state", tok, nil, http.StatusOK, &state)

		// Another organization sees none of it.
		for _, call := range [][2]string{{"GET", "/v1/customers/" + id}, {"GET", "/v1/customers/external/user_1"},
			{"PATCH", "/v1/customers/" + id}, {"DELETE", "/v1/customers/external/user_1"}, {"GET", "/v1/customers/" + id + "/state"}} {
			var body any
			if call[0] == "PATCH" {
				body = map[string]any{"name": "Mallory"}
			}
			if code, b := in.Do(t, call[0], call[1], other, body); code != http.StatusNotFound {
				t.Fatalf("%s %s by another organization = %d %s", call[0], call[1], code, b)
			}
		}

		// Delete: gone from lookups and lists, email and external id free again.
		in.Must(t, "DELETE", "/v1/customers/external/user_1", tok, nil, http.StatusNoContent, nil)
		for _, path := range []string{"/v1/customers/" + id, "/v1/customers/external/user_1", "/v1/customers/" + id + "/state"} {
			if code, _ := in.Do(t, "GET", path, tok, nil); code != http.StatusNotFound {
				t.Fatalf("GET %s after delete = %d", path, code)
			}
		}
		if code, _ := in.Do(t, "DELETE", "/v1/customers/"+id, tok, nil); code != http.StatusNotFound {
			t.Fatalf("second delete = %d", code)
		}
		in.Must(t, "GET", "/v1/customers/", tok, nil, http.StatusOK, &list)
		if len(list.Items) != 0 {
			t.Fatalf("deleted customer listed: %v", list.Items)
		}
		in.Must(t, "POST", "/v1/customers/", tok, map[string]any{"email": "ada@lovelace.dev", "external_id": "user_1"},
			http.StatusCreated, &got)
		if got["id"] == id {
			t.Fatal("the deleted customer came back")
		}
	})
}

// assertLoc checks that a call answers 422 with its first error at ["body", field].
func assertLoc(t *testing.T, in *paylinktest.Instance, method, path, tok string, body map[string]any, field string) {
	t.Helper()
	code, b := in.Do(t, method, path, tok, body)
	var e struct {
		Detail []struct{ Loc []any } `json:"detail"`
	}
	if code != http.StatusUnprocessableEntity || json.Unmarshal(b, &e) != nil || len(e.Detail) == 0 ||
		len(e.Detail[0].Loc) < 2 || e.Detail[0].Loc[0] != "body" || e.Detail[0].Loc[1] != field {
		t.Fatalf("%s %s %v = %d %s; want 422 at body.%s", method, path, body, code, b, field)
	}
}

// TestCustomerUpdateEmailRace gives two customers the same email at once: one
// update wins, the other is a 422 at the email, never a 500.
func TestCustomerUpdateEmailRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		_, tok := in.NewOrg(t, "Race Shop")
		for round := range 5 {
			ids := make([]string, 2)
			for i := range ids {
				var c map[string]any
				in.Must(t, "POST", "/v1/customers/", tok, map[string]any{"email": fmt.Sprintf("c%d-%d@example.com", round, i)}, http.StatusCreated, &c)
				ids[i] = c["id"].(string)
			}
			codes := make(chan int, 2)
			for _, id := range ids {
				go func() {
					code, _ := in.Do(t, "PATCH", "/v1/customers/"+id, tok, map[string]any{"email": fmt.Sprintf("same%d@example.com", round)})
					codes <- code
				}()
			}
			got := map[int]int{<-codes: 1}
			got[<-codes]++
			if got[http.StatusOK] != 1 || got[http.StatusUnprocessableEntity] != 1 {
				t.Fatalf("round %d: answers %v; want one 200 and one 422", round, got)
			}
		}
	})
}
