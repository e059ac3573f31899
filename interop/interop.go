// Package interop runs node's jose (npm) as the reference implementation in
// JWK Desk's interop tests: the Go tests hand it a request and read its
// answer, so what JWK Desk writes is checked by another implementation and
// what that implementation writes is read by JWK Desk.
//
// `make test` installs jose here with `npm ci` when node and npm are on the
// machine; without them, the interop tests skip and say why.
package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// dir is this package's folder: jose.mjs and node_modules live here.
func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

var (
	availOnce sync.Once
	availErr  error
)

// Available says why jose cannot run here (nil when it can): node missing,
// or `npm ci` not run in interop/.
func Available() error {
	availOnce.Do(func() {
		if _, err := exec.LookPath("node"); err != nil {
			availErr = errors.New("node is not installed: the jose interop tests are skipped (install nodejs and npm, then make test)")
			return
		}
		if _, err := os.Stat(filepath.Join(dir(), "node_modules", "jose", "package.json")); err != nil {
			availErr = errors.New("jose is not installed in interop/: run `npm ci` there (make test does)")
		}
	})
	return availErr
}

// Require skips t, with the reason printed, when jose cannot run here. In CI
// (CI=true) a missing jose fails instead: there make test has installed it.
func Require(t testing.TB) {
	t.Helper()
	err := Available()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		if _, nodeErr := exec.LookPath("node"); nodeErr == nil {
			t.Fatalf("interop: %v", err)
		}
	}
	fmt.Fprintln(os.Stderr, "interop:", err)
	t.Skip(err.Error())
}

// Error is jose's own refusal (a failed verify or decrypt): the request
// was well-formed and jose said no.
type Error struct {
	Message string
	Code    string // jose's error code, e.g. ERR_JWE_DECRYPTION_FAILED
}

func (e *Error) Error() string { return "jose: " + e.Message + " (" + e.Code + ")" }

// Run sends req (which must carry "op") to jose and decodes its answer into
// resp. A refusal by jose is an *Error; anything else is a broken harness.
func Run(req any, resp any) error {
	if err := Available(); err != nil {
		return err
	}
	in, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("failed to encode the request: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir(), "jose.mjs"))
	cmd.Dir = dir()
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("node jose.mjs failed: %w: %s", err, stderr.String())
	}
	var status struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
		Code  string `json:"code"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &status); err != nil {
		return fmt.Errorf("jose.mjs wrote no JSON (%v): %s %s", err, stdout.String(), stderr.String())
	}
	if !status.OK {
		return &Error{Message: status.Error, Code: status.Code}
	}
	if resp == nil {
		return nil
	}
	return json.Unmarshal(stdout.Bytes(), resp)
}

// RunBatch sends many requests to one node process (a start costs ~0.3 s)
// and decodes answer i into resps[i]; errs[i] is jose's refusal of request i.
// The returned error is a broken harness.
func RunBatch(reqs []any, resps []any) (errs []error, err error) {
	if len(reqs) != len(resps) {
		return nil, fmt.Errorf("RunBatch: %d requests, %d answers", len(reqs), len(resps))
	}
	var out struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := Run(map[string]any{"op": "batch", "requests": reqs}, &out); err != nil {
		return nil, err
	}
	if len(out.Results) != len(reqs) {
		return nil, fmt.Errorf("jose answered %d of %d requests", len(out.Results), len(reqs))
	}
	errs = make([]error, len(reqs))
	for i, raw := range out.Results {
		var status struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
			Code  string `json:"code"`
		}
		if err := json.Unmarshal(raw, &status); err != nil {
			return nil, fmt.Errorf("answer %d: %w", i, err)
		}
		if !status.OK {
			errs[i] = &Error{Message: status.Error, Code: status.Code}
			continue
		}
		if resps[i] != nil {
			if err := json.Unmarshal(raw, resps[i]); err != nil {
				return nil, fmt.Errorf("answer %d: %w", i, err)
			}
		}
	}
	return errs, nil
}

// MustRunBatch is RunBatch for tests: a broken harness or any refusal fails t.
func MustRunBatch(t testing.TB, reqs []any, resps []any) {
	t.Helper()
	errs, err := RunBatch(reqs, resps)
	if err != nil {
		t.Fatalf("interop: %v", err)
	}
	for i, e := range errs {
		if e != nil {
			t.Fatalf("interop: request %d: %v", i, e)
		}
	}
}

// MustRun is Run for tests: a broken harness or a refusal fails t.
func MustRun(t testing.TB, req any, resp any) {
	t.Helper()
	if err := Run(req, resp); err != nil {
		t.Fatalf("interop: %v", err)
	}
}
