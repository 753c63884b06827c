// Package paylinktest runs a real paylink through cli.Run on port 0 for end-to-end
// tests, on a fresh database of either engine.
package paylinktest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylink/paylink/client"
	"github.com/paylink/paylink/internal/cli"
)

// Instance is one running paylink.
type Instance struct {
	URL         string // base URL, e.g. http://127.0.0.1:43121
	DatabaseURL string
	Token       string // the demo organization's API token (all scopes)
	OrgID       string // the demo organization's id
	LinkURL     string // the demo checkout link, when seeded
	SignIn      string // the demo dashboard sign-in URL, when seeded
	Stdout      string
	Client      *http.Client

	logs *syncBuffer // everything logged on stderr

	stop func() // cancels the server and waits for it; safe to call twice
}

// Stop shuts the server down as SIGTERM would, and waits until it has.
func (in *Instance) Stop(t testing.TB) {
	t.Helper()
	in.stop()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Start runs `paylink serve --addr 127.0.0.1:0` on databaseURL with the extra
// arguments and environment ("KEY=VALUE"), waits until /healthz answers, and stops
// it when the test ends.
func Start(t testing.TB, databaseURL string, env []string, args ...string) *Instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, logs syncBuffer
	var stderr io.Writer = &logs
	if os.Getenv("PAYLINK_TEST_LOGS") != "" {
		stderr = io.MultiWriter(&logs, os.Stderr)
	}
	envMap := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		envMap[k] = v
	}
	if envMap["PAYLINK_STORAGE_URL"] == "" { // files in the test's own folder, whatever the engine
		envMap["PAYLINK_STORAGE_URL"] = "file://" + filepath.ToSlash(t.TempDir())
	}
	if envMap["PAYLINK_PUBLIC_API_RATE"] == "" { // tests call from one address, faster than any customer
		envMap["PAYLINK_PUBLIC_API_RATE"] = "1000000"
	}
	getenv := func(k string) string { return envMap[k] }
	done := make(chan error, 1)
	go func() {
		done <- cli.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--database", databaseURL}, args...), getenv, &stdout, stderr)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Errorf("paylink did not shut down within 20s")
			}
		})
	}
	t.Cleanup(stop)
	inst := &Instance{DatabaseURL: databaseURL, stop: stop, logs: &logs, Client: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("paylink exited: %v\nstdout:\n%s", err, stdout.String())
		default:
		}
		if u := field(stdout.String(), "paylink is running at "); u != "" {
			if resp, err := http.Get(u + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					inst.URL = u
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("paylink did not start within 60s; stdout:\n%s", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	inst.Stdout = stdout.String()
	inst.Token = field(inst.Stdout, "API token:")
	inst.LinkURL = field(inst.Stdout, "Demo link:")
	inst.SignIn = field(inst.Stdout, "Dashboard sign-in:")
	if inst.Token != "" {
		var org struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		inst.Must(t, "GET", "/v1/organizations/", inst.Token, nil, 200, &org)
		inst.OrgID = org.Items[0].ID
	}
	return inst
}

// Logs returns what the server has logged so far (its stderr).
func (in *Instance) Logs() string { return in.logs.String() }

func field(out, label string) string {
	for _, line := range strings.Split(out, "\n") {
		if _, v, ok := strings.Cut(line, label); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Do sends a JSON request (body marshalled unless it is a string or []byte) with
// the bearer token ("" for none) and returns the status and the raw body.
func (in *Instance) Do(t testing.TB, method, path, token string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, in.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := in.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// API returns a Go client of this paylink that authenticates with token ("" for
// the public calls), through the instance's HTTP client.
func (in *Instance) API(token string) *client.Client {
	return client.New(in.URL, token, client.WithHTTPClient(in.Client))
}

// Must is Do that fails the test unless the status is want, and decodes the body
// into out when out is not nil.
func (in *Instance) Must(t testing.TB, method, path, token string, body any, want int, out any) {
	t.Helper()
	status, b := in.Do(t, method, path, token, body)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, status, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// NewOrg creates another organization with the CLI and returns its id and a token
// with the scopes (all when none are given): the way tests check tenant isolation.
func (in *Instance) NewOrg(t testing.TB, name string, scopes ...string) (orgID, token string) {
	t.Helper()
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		if err := cli.Run(context.Background(), append(args, "--database", in.DatabaseURL), func(string) string { return "" }, &out, &errb); err != nil {
			t.Fatalf("paylink %v: %v\n%s", args, err, errb.String())
		}
		return strings.TrimSpace(out.String())
	}
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	orgID = run("org", "create", "--name", name, "--slug", slug)
	tokArgs := []string{"token", "create", "--org", slug}
	if len(scopes) > 0 {
		tokArgs = append(tokArgs, "--scopes", strings.Join(scopes, ","))
	}
	return orgID, run(tokArgs...)
}
