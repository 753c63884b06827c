// Package mailpit is the tests' SMTP server: a Mailpit process (v1.33.1) per
// test, on free loopback ports, read through its HTTP API. A test that needs it
// is skipped when mailpit is not on PATH, except under CI=true where it fails:
//
//	go install github.com/axllent/mailpit@v1.33.1
package mailpit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Server is one running Mailpit.
type Server struct {
	SMTPAddr string // host:port of its SMTP server
	APIURL   string // base URL of its HTTP API
	cmd      *exec.Cmd
}

// SMTPURL is the PAYLINK_SMTP_URL that sends to the server (plain SMTP on
// loopback: Mailpit offers no STARTTLS).
func (s *Server) SMTPURL() string { return "smtp://" + s.SMTPAddr }

// Start runs a Mailpit on free ports until the test ends.
func Start(t testing.TB) *Server { return StartOn(t, FreeAddr(t)) }

// StartOn runs a Mailpit whose SMTP server listens on smtpAddr, until the test
// ends or Stop: a test of a server that was down starts it late on the address
// paylink was given.
func StartOn(t testing.TB, smtpAddr string) *Server {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI must run the email tests: mailpit is not on PATH (go install github.com/axllent/mailpit@v1.33.1)")
		}
		t.Skip("skipping: mailpit is not on PATH (go install github.com/axllent/mailpit@v1.33.1)")
	}
	httpAddr := FreeAddr(t)
	s := &Server{SMTPAddr: smtpAddr, APIURL: "http://" + httpAddr}
	s.cmd = exec.Command(bin, "--smtp", smtpAddr, "--listen", httpAddr,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--smtp-auth-accept-any", "--smtp-auth-allow-insecure")
	var out bytes.Buffer
	s.cmd.Stdout, s.cmd.Stderr = &out, &out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(s.APIURL + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", smtpAddr); err == nil {
				c.Close()
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start within 30s:\n%s", out.String())
		}
	}
}

// Stop ends the server; it is safe to call twice.
func (s *Server) Stop() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Kill() //nolint:errcheck
		s.cmd.Wait()         //nolint:errcheck
	}
}

// FreeAddr returns a loopback address nothing listens on (for a moment).
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Address is a sender or a recipient.
type Address struct {
	Name    string
	Address string
}

// Message is one received email, as the API's message endpoint returns it.
type Message struct {
	ID        string
	MessageID string
	From      Address
	To        []Address
	Subject   string
	Text      string
	HTML      string
}

// Messages returns every message received, newest first, read in full.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct{ Messages []struct{ ID string } }
	s.get(t, "/api/v1/messages", &list)
	out := make([]Message, len(list.Messages))
	for i, m := range list.Messages {
		s.get(t, "/api/v1/message/"+m.ID, &out[i])
	}
	return out
}

// WaitFor waits up to 30 s for n messages and returns them, newest first.
func (s *Server) WaitFor(t testing.TB, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms := s.Messages(t)
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit received %d messages within 30s, want %d", len(ms), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.APIURL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(fmt.Errorf("mailpit GET %s: %w", path, err))
	}
}
