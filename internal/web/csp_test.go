package web

import "testing"

func TestPolicyString(t *testing.T) {
	strict := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self' https:"
	withStripe := StripePolicy
	withStripe.FormAction = []string{"http://localhost:3000"}
	for _, tc := range []struct {
		name string
		p    Policy
		want string
	}{
		{"strict", Policy{}, strict},
		{"http success_url", Policy{FormAction: []string{"http://localhost:3000"}},
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action http://localhost:3000 'self' https:"},
		{"stripe", StripePolicy,
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; frame-ancestors 'none'; form-action 'self' https:"},
		{"stripe and http success_url", withStripe,
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; connect-src 'self' https://api.stripe.com; frame-ancestors 'none'; form-action http://localhost:3000 'self' https:"},
		{"embed mode", Policy{FrameAncestor: "https://shop.example.com"},
			"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors https://shop.example.com; form-action 'self' https:"},
		{"a wildcard is never an ancestor", Policy{FrameAncestor: "*"}, strict},
		{"nor a list", Policy{FrameAncestor: "https://a.example https://b.example"}, strict},
		{"nor a directive", Policy{FrameAncestor: "https://a.example; script-src *"}, strict},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	if got := pagePolicy(Message{}).String(); got != strict {
		t.Errorf("a page without sources: %s", got)
	}
	if len(StripePolicy.FormAction) != 0 {
		t.Errorf("a page's policy changed the shared Stripe policy")
	}
}
