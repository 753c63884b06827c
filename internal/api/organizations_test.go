package api_test

import (
	"testing"

	"github.com/paylink/paylink/internal/paylinktest"
	"github.com/paylink/paylink/internal/store/storetest"
)

func TestOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db string) {
		in := paylinktest.Start(t, db, nil)
		var list struct {
			Items []map[string]any `json:"items"`
		}
		in.Must(t, "GET", "/v1/organizations/", in.Token, nil, 200, &list)
		if len(list.Items) != 1 || list.Items[0]["slug"] != "demo" {
			t.Fatalf("list: %+v", list)
		}
		var org map[string]any
		in.Must(t, "GET", "/v1/organizations/"+in.OrgID, in.Token, nil, 200, &org)
		if org["id"] != in.OrgID {
			t.Fatalf("get: %+v", org)
		}
		otherID, otherToken := in.NewOrg(t, "Other Shop", "products:read")
		in.Must(t, "GET", "/v1/organizations/"+otherID, in.Token, nil, 404, nil)
		in.Must(t, "GET", "/v1/organizations/"+in.OrgID, otherToken, nil, 403, nil) // lacks organizations:read
		in.Must(t, "GET", "/v1/organizations/", "", nil, 401, nil)
		in.Must(t, "GET", "/v1/organizations/", "pl_oat_wrong", nil, 401, nil)
		in.Must(t, "GET", "/v1/organizations/not-a-uuid", in.Token, nil, 404, nil)
		in.Must(t, "GET", "/v1/organizations/?limit=0", in.Token, nil, 422, nil)
	})
}
