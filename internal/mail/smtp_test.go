package mail

import (
	"strings"
	"testing"
)

func TestNewSMTP(t *testing.T) {
	for _, c := range []struct {
		url, host, conn, user, pass string
		port                        int
	}{
		{"smtp://ann:s%40cret@smtp.example.com", "smtp.example.com", connStartTLS, "ann", "s@cret", 587},
		{"smtp://smtp.example.com:2525", "smtp.example.com", connStartTLS, "", "", 2525},
		{"smtps://ann:pw@smtp.example.com", "smtp.example.com", connTLS, "ann", "pw", 465},
		{"smtps://smtp.example.com:2465", "smtp.example.com", connTLS, "", "", 2465},
		{"smtp://127.0.0.1:1025", "127.0.0.1", connOpportunistic, "", "", 1025},
		{"smtp://localhost:1025", "localhost", connOpportunistic, "", "", 1025},
		{"smtp://[::1]:1025", "::1", connOpportunistic, "", "", 1025},
		{"smtp://mailpit:1025?tls=opportunistic", "mailpit", connOpportunistic, "", "", 1025},
	} {
		s, err := newSMTP(c.url, "x@example.com")
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		if s.host != c.host || s.port != c.port || s.conn != c.conn || s.user != c.user || s.pass != c.pass {
			t.Errorf("%s: %+v", c.url, s)
		}
	}
	for _, bad := range []string{"http://smtp.example.com", "smtp://", "smtp://:pw@:25", "smtp://h:0", "smtp://h:99999", "smtp://ann:hunter2@h:x"} {
		_, err := newSMTP(bad, "x@example.com")
		if err == nil {
			t.Errorf("%s: accepted", bad)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}
