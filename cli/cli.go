// Package cli is JWK Desk's headless twin: the same engine as the GUI, for
// scripts and CI. Output is JSON on stdout (PEM where asked); errors are one
// line on stderr. Exit codes: 0 success, 1 not verified, 2 bad input or usage.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/jwkdesk/jwkdesk/assets"
	"github.com/jwkdesk/jwkdesk/convert/input"
	"github.com/jwkdesk/jwkdesk/convert/keyset"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitNotValid = 1
	ExitUsage    = 2
)

// Env is what a command reads and writes: the process streams, injectable so
// tests run the CLI in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

type command struct {
	name    string
	summary string
	run     func(env Env, args []string) int
}

func commands() []command {
	return []command{
		{"generate", "generate a key pair or secret as a JWK (or PEM)", runGenerate},
		{"convert", "convert a PEM key, certificate, DER or OpenSSH key to JWK (and a JWK/JWKS to PEM)", runConvert},
		{"thumbprint", "print the RFC 7638 SHA-256 thumbprint of each key (what convert reads)", runThumbprint},
		{"jwks", "assemble the public JWKS from JWK/JWKS/PEM files or a fetch; lint on stderr", runJWKS},
		{"inspect", "decode a JWT (or decrypt a JWE) and verify it against a key source (JSON report)", runInspect},
		{"sign", "sign a test JWT with a private key", runSign},
		{"decrypt", "print the plaintext of a compact JWE (key, shared secret or passphrase)", runDecrypt},
		{"encrypt", "encrypt standard input to a key, secret or passphrase as a compact JWE", runEncrypt},
		{"serve", "serve a private JWKS as a local OIDC issuer on 127.0.0.1 (discovery, JWKS, tokens)", runServe},
	}
}

// Run executes a command line (without the program name) and returns the
// process exit code.
func Run(args []string, env Env) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "jwkdesk: internal error: %v\n", r)
			code = ExitUsage
		}
	}()
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(env.Stdout)
		return ExitOK
	case "-v", "--version", "-version", "version":
		fmt.Fprintf(env.Stdout, "jwkdesk %s\n", assets.Version)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "jwkdesk: unknown command %q (run jwkdesk --help)\n", args[0])
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "JWK Desk %s: generate, convert, assemble and inspect JOSE keys and tokens.\n\n", assets.Version)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  jwkdesk                 start the desktop app")
	fmt.Fprintln(w, "  jwkdesk COMMAND [FLAGS] run a command headless; JSON on stdout")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun jwkdesk COMMAND --help for its flags. Exit codes: 0 success, 1 not verified, 2 bad input or usage.")
}

// parseInterspersed parses flags that may come before or after positional
// arguments (jwkdesk thumbprint key.json --x works as --x key.json does).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// newFlagSet makes a flag set whose errors are returned, not printed twice.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // errors are reported by parseFlags as one line
	return fs
}

// parseFlags handles --help and turns flag errors into exit codes.
func parseFlags(env Env, fs *flag.FlagSet, synopsis string, args []string) ([]string, int, bool) {
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(env.Stdout, "Usage: jwkdesk %s %s\n\nFlags:\n", fs.Name(), synopsis)
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return nil, ExitOK, false
	}
	if err != nil {
		return nil, fail(env, "%s: %v", fs.Name(), err), false
	}
	return pos, 0, true
}

// fail prints a one-line error and returns the usage exit code.
func fail(env Env, format string, a ...any) int {
	msg := fmt.Sprintf(format, a...)
	fmt.Fprintf(env.Stderr, "jwkdesk: %s\n", strings.ReplaceAll(msg, "\n", " "))
	return ExitUsage
}

// readInput reads FILE, or standard input for "-" or no argument, through
// the engine's capped reader with limit (one of convert's size caps).
func readInput(env Env, pos []string, limit int64) ([]byte, string, error) {
	if len(pos) > 1 {
		return nil, "", fmt.Errorf("one input at a time, got %d", len(pos))
	}
	if len(pos) == 1 && pos[0] != "-" {
		b, err := input.ReadFileCapped(pos[0], limit, "")
		return b, pos[0], err
	}
	if env.Stdin == nil {
		return nil, "", fmt.Errorf("no input: give a FILE or pipe it on standard input")
	}
	b, err := input.ReadCapped(env.Stdin, limit, "standard input")
	return b, "standard input", err
}

// readPassphraseFile reads a --passphrase-file: its first line, without the
// line break (\n or \r\n), as the help says. The file is capped at
// convert.MaxPassphrase (/dev/zero is refused after 4 KiB, not read until
// memory runs out).
func readPassphraseFile(env Env, path string) ([]byte, error) {
	b, err := input.ReadFileCapped(path, input.MaxPassphrase, "the passphrase file")
	if err != nil {
		return nil, err
	}
	line, rest, _ := bytes.Cut(b, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 {
		return nil, fmt.Errorf("the first line of the passphrase file %s is empty: write the passphrase on it", path)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		fmt.Fprintln(env.Stderr, "jwkdesk: note: only the first line of the passphrase file is the passphrase; the other lines were ignored")
	}
	return line, nil
}

// outHelp is the --out flag's help: why it exists.
const outHelp = "write the output to `FILE`, created with mode 0600 (owner only) through a temporary file in the same folder and a rename, instead of standard output. A shell redirect (> FILE) creates a file others can read (0644 with the usual umask): use --out for private keys"

// outFlag adds --out to a command that writes private output.
func outFlag(fs *flag.FlagSet) *string {
	return fs.String("out", "", outHelp)
}

// writeOutput writes a command's output to standard output, or with --out
// to a 0600 file through the engine's one atomic writer.
func writeOutput(env Env, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	return keyset.WriteFileAtomic(path, data, 0o600)
}
